"""Semantic segmentation of a camera stream with the attendseg node, and optionally rviz2.

    ros2 launch attendseg_ros segmentation.launch.py image:=/camera/color/image_raw use_rviz:=true

Arguments: image (camera topic), params_file, namespace, use_rviz, large_images.
"""
from launch import LaunchDescription
from launch.actions import DeclareLaunchArgument, SetEnvironmentVariable
from launch.conditions import IfCondition
from launch.substitutions import LaunchConfiguration, PathJoinSubstitution
from launch_ros.actions import Node
from launch_ros.substitutions import FindPackageShare


def generate_launch_description():
    share = FindPackageShare('attendseg_ros')
    namespace = LaunchConfiguration('namespace')
    return LaunchDescription([
        DeclareLaunchArgument(
            'image', default_value='/camera/image_raw',
            description='camera topic (sensor_msgs/Image); with input_transport "compressed" the node '
                        'subscribes <image>/compressed'),
        DeclareLaunchArgument(
            'params_file', default_value=PathJoinSubstitution([share, 'config', 'params.yaml']),
            description='node parameters (see config/params.yaml)'),
        DeclareLaunchArgument(
            'namespace', default_value='',
            description='namespace of the node (outputs: <namespace>/attendseg/label, ...) and of rviz2'),
        DeclareLaunchArgument(
            'use_rviz', default_value='false',
            description='start rviz2 showing the overlay and colorized images'),
        DeclareLaunchArgument(
            'large_images', default_value='false',
            description='Cyclone DDS with a 4 MB socket receive buffer (config/cyclonedds_large_images.xml) '
                        'so 1080p raw frames arrive; needs net.core.rmem_max >= 4194304'),
        SetEnvironmentVariable(
            'CYCLONEDDS_URI',
            ['file://', PathJoinSubstitution([share, 'config', 'cyclonedds_large_images.xml'])],
            condition=IfCondition(LaunchConfiguration('large_images'))),
        Node(
            package='attendseg_ros',
            executable='attendseg_node',
            name='attendseg',
            namespace=namespace,
            parameters=[LaunchConfiguration('params_file')],
            remappings=[('image', LaunchConfiguration('image'))],
            output='screen',
            emulate_tty=True,
        ),
        Node(
            package='rviz2',
            executable='rviz2',
            name='rviz2',
            namespace=namespace,
            arguments=['-d', PathJoinSubstitution([share, 'config', 'attendseg.rviz'])],
            condition=IfCondition(LaunchConfiguration('use_rviz')),
            output='screen',
        ),
    ])
