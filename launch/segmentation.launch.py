"""Semantic segmentation of a camera stream with the attendseg node, and optionally rviz2.

    ros2 launch attendseg_ros segmentation.launch.py image:=/camera/color/image_raw use_rviz:=true

    ros2 launch attendseg_ros segmentation.launch.py cameras:="['front', 'down']"

Arguments: image (camera topic), cameras (several cameras in one node), params_file, namespace,
use_rviz, fixed_frame, large_images, lifecycle (true: a managed node that waits for
configure/activate, e.g. from nav2_lifecycle_manager).
"""
import copy
import os
import tempfile

import yaml

from launch import LaunchDescription
from launch.actions import DeclareLaunchArgument, LogInfo, OpaqueFunction, SetEnvironmentVariable
from launch.conditions import IfCondition, UnlessCondition
from launch.substitutions import LaunchConfiguration, PathJoinSubstitution
from launch_ros.actions import LifecycleNode, Node
from launch_ros.substitutions import FindPackageShare


def large_images_dds(context, share):
    """CYCLONEDDS_URI with the large-image settings. A user's own CYCLONEDDS_URI is kept: Cyclone
    reads a comma-separated list of configurations in order, so ours follows theirs and only
    raises the socket receive buffer."""
    if LaunchConfiguration('large_images').perform(context).lower() not in ('true', '1', 'yes'):
        return []
    ours = 'file://' + PathJoinSubstitution([share, 'config', 'cyclonedds_large_images.xml']).perform(context)
    theirs = os.environ.get('CYCLONEDDS_URI', '').strip()
    if not theirs:
        return [SetEnvironmentVariable('CYCLONEDDS_URI', ours)]
    return [
        LogInfo(msg='large_images: CYCLONEDDS_URI is set; appending %s to it (its receive buffer '
                    'setting wins, the rest of yours stays)' % ours),
        SetEnvironmentVariable('CYCLONEDDS_URI', theirs + ',' + ours),
    ]


def camera_list(text):
    """The cameras argument as a list of names: YAML ("['front', 'down']", "[front, down]") or
    comma-separated ("front,down"); empty: none. The node checks the names themselves."""
    text = text.strip()
    if not text:
        return []
    cameras = yaml.safe_load(text) if text.startswith('[') else [c.strip() for c in text.split(',')]
    if not isinstance(cameras, list) or not all(isinstance(c, str) and c for c in cameras):
        raise ValueError('cameras:=%s is not a list of camera names, e.g. "[\'front\', \'down\']"' % text)
    return cameras


def rviz_config_for_cameras(base, cameras):
    """The rviz2 config (text) for several cameras: each image display of the one-camera config
    `base`, once per camera, named "<camera> <display>" and reading <camera>/<its topic>, where
    the node publishes that camera's outputs."""
    config = yaml.safe_load(base)
    displays = config['Visualization Manager']['Displays']
    geometry = config['Window Geometry']
    per_camera = []
    for camera in cameras:
        for display in displays:
            d = copy.deepcopy(display)
            d['Name'] = '%s %s' % (camera, display['Name'])
            d['Topic']['Value'] = '%s/%s' % (camera, display['Topic']['Value'])
            per_camera.append(d)
            geometry[d['Name']] = {'collapsed': False}
    for display in displays:
        geometry.pop(display['Name'], None)
    config['Visualization Manager']['Displays'] = per_camera
    return yaml.safe_dump(config, sort_keys=False)


def rviz_node(context, share):
    """rviz2 (use_rviz:=true) with config/attendseg.rviz, or with several cameras a copy of it
    showing each camera's outputs, written to a temporary file."""
    if LaunchConfiguration('use_rviz').perform(context).lower() not in ('true', '1', 'yes'):
        return []
    config = PathJoinSubstitution([share, 'config', 'attendseg.rviz']).perform(context)
    cameras = camera_list(LaunchConfiguration('cameras').perform(context))
    if cameras:
        with open(config) as f:
            text = rviz_config_for_cameras(f.read(), cameras)
        with tempfile.NamedTemporaryFile('w', prefix='attendseg_', suffix='.rviz', delete=False) as f:
            f.write(text)
            config = f.name
    return [Node(
        package='rviz2',
        executable='rviz2',
        name='rviz2',
        namespace=LaunchConfiguration('namespace'),
        arguments=['-d', config, '-f', LaunchConfiguration('fixed_frame')],
        output='screen',
    )]


def segmentation_nodes(context):
    """The node, plain or (lifecycle:=true) managed. `cameras` is passed only when given: an empty
    list has no element type in a parameter file, so the node's default (no cameras) stands."""
    cameras = camera_list(LaunchConfiguration('cameras').perform(context))
    segmentation_node = dict(
        package='attendseg_ros',
        executable='attendseg_node',
        name='attendseg',
        namespace=LaunchConfiguration('namespace'),
        parameters=[LaunchConfiguration('params_file')] + ([{'cameras': cameras}] if cameras else []),
        remappings=[('image', LaunchConfiguration('image'))],
        output='screen',
        emulate_tty=True,
    )
    return [
        Node(
            **segmentation_node,
            condition=UnlessCondition(LaunchConfiguration('lifecycle')),
        ),
        LifecycleNode(
            **segmentation_node,
            arguments=['--lifecycle'],
            condition=IfCondition(LaunchConfiguration('lifecycle')),
        ),
    ]


def generate_launch_description():
    share = FindPackageShare('attendseg_ros')
    return LaunchDescription([
        DeclareLaunchArgument(
            'image', default_value='image',
            description='camera topic (sensor_msgs/Image); the default, as with ros2 run, is `image` '
                        'in the node\'s namespace. With input_transport "compressed" the node subscribes '
                        '<image>/compressed'),
        DeclareLaunchArgument(
            'cameras', default_value='',
            description='several cameras in one node, e.g. "[\'front\', \'down\']": camera `front` is read '
                        'from front/image_raw and segmented to front/attendseg/label, ... (the `image` '
                        'argument is then unused); empty: the one camera of `image`'),
        DeclareLaunchArgument(
            'params_file', default_value=PathJoinSubstitution([share, 'config', 'params.yaml']),
            description='node parameters (see config/params.yaml)'),
        DeclareLaunchArgument(
            'namespace', default_value='',
            description='namespace of the node (outputs: <namespace>/attendseg/label, ...) and of rviz2'),
        DeclareLaunchArgument(
            'use_rviz', default_value='false',
            description='start rviz2 showing the overlay and colorized images (of each camera '
                        'with cameras:=...)'),
        DeclareLaunchArgument(
            'fixed_frame', default_value='map',
            description='rviz2\'s fixed frame: the image panels need no TF, but rviz2 reports a missing '
                        'fixed frame in Global Status; set it to the camera\'s frame_id'),
        DeclareLaunchArgument(
            'large_images', default_value='false',
            description='Cyclone DDS with a 4 MB socket receive buffer (config/cyclonedds_large_images.xml) '
                        'so 1080p raw frames arrive; needs net.core.rmem_max >= 4194304'),
        OpaqueFunction(function=large_images_dds, args=[share]),
        DeclareLaunchArgument(
            'lifecycle', default_value='false',
            description='start a managed (lifecycle) node: it loads the model on configure and '
                        'subscribes and publishes only while active (ros2 lifecycle set, or '
                        'nav2_lifecycle_manager with node_names [<namespace>/attendseg])'),
        OpaqueFunction(function=segmentation_nodes),
        OpaqueFunction(function=rviz_node, args=[share]),
    ])
