"""Replays a bag through the attendseg node and records the node's labels next to the replayed
ground truth, for scoring the live node afterwards:

    ros2 launch attendseg_ros eval_replay.launch.py bag:=samples/camvid_val_8 output:=/tmp/replay \
        input_transport:=compressed
    attendseg eval --bag /tmp/replay --pred-topic /attendseg/label --gt-topic /camera/label_gt \
        --ignore 11 --json replay.json

The node and `ros2 bag record` start first; `ros2 bag play` starts after start_delay seconds (so
both are up) and publishes play_delay seconds after creating its publishers (so the node and the
recorder, which looks for new topics every 100 ms, have matched them: the first frames of a short
bag would be lost otherwise). When it is done, everything is shut down after drain_time seconds
(so the last frames are recorded and the recorder writes its metadata).

Arguments: bag, output, image, gt_topic, input_transport, params_file, qos, rate, start_delay,
play_delay, drain_time, storage, record_overlay.
"""
import os

from launch import LaunchDescription
from launch.actions import (
    DeclareLaunchArgument,
    EmitEvent,
    ExecuteProcess,
    LogInfo,
    OpaqueFunction,
    RegisterEventHandler,
    TimerAction,
)
from launch.event_handlers import OnProcessExit
from launch.events import Shutdown
from launch.substitutions import LaunchConfiguration
from launch_ros.actions import Node
from launch_ros.substitutions import FindPackageShare

NODE_NAME = 'attendseg'  # outputs /attendseg/label, /attendseg/overlay, ...
# Reliable, and deep enough for a second of 30 fps frames: a best-effort sample of a raw frame
# (megabytes in many UDP fragments) is lost whole when one fragment is, which is how a replay at
# rate 1 lost 1 of 30 frames; reliable history lets DDS resend it.
REPLAY_QOS_DEPTH = 30


def _arg(context, name):
    return LaunchConfiguration(name).perform(context)


def _setup(context):
    bag = _arg(context, 'bag')
    output = _arg(context, 'output')
    image = _arg(context, 'image')
    gt_topic = _arg(context, 'gt_topic')
    transport = _arg(context, 'input_transport')
    params_file = _arg(context, 'params_file')
    storage = _arg(context, 'storage')
    qos = _arg(context, 'qos')
    if transport not in ('raw', 'compressed'):
        raise RuntimeError("input_transport must be 'raw' or 'compressed', got '%s'" % transport)
    if qos not in ('reliable', 'sensor_data'):
        raise RuntimeError("qos must be 'reliable' or 'sensor_data', got '%s'" % qos)
    if not os.path.exists(bag):
        raise RuntimeError('bag %s does not exist' % bag)
    if os.path.exists(output):
        raise RuntimeError('output %s already exists; ros2 bag record needs a new directory' % output)
    input_topic = image + '/compressed' if transport == 'compressed' else image

    node = Node(
        package='attendseg_ros',
        executable='attendseg_node',
        name=NODE_NAME,
        # after params_file, so these win; launch_ros keys them by the node's full name
        parameters=[params_file, {'input_transport': transport, 'qos': qos, 'qos_depth': REPLAY_QOS_DEPTH}],
        remappings=[('image', image)],
        output='screen',
        emulate_tty=True,
    )
    recorded = [gt_topic, '/%s/label' % NODE_NAME]
    if _arg(context, 'record_overlay').lower() in ('true', '1', 'yes'):
        recorded.append('/%s/overlay' % NODE_NAME)
    record = ExecuteProcess(
        cmd=['ros2', 'bag', 'record', '-o', output] + (['-s', storage] if storage else []) + recorded,
        output='screen',
    )
    play = ExecuteProcess(
        cmd=['ros2', 'bag', 'play', bag, '--rate', _arg(context, 'rate'), '--delay', _arg(context, 'play_delay'),
             '--topics', input_topic, gt_topic],
        output='screen',
    )
    drain = float(_arg(context, 'drain_time'))
    return [
        node,
        record,
        TimerAction(period=float(_arg(context, 'start_delay')), actions=[play]),
        RegisterEventHandler(OnProcessExit(
            target_action=play,
            on_exit=[
                LogInfo(msg='replay finished; stopping in %.1f s, recording in %s' % (drain, output)),
                TimerAction(period=drain, actions=[EmitEvent(event=Shutdown(reason='bag replay finished'))]),
            ],
        )),
    ]


def generate_launch_description():
    share = FindPackageShare('attendseg_ros')
    return LaunchDescription([
        DeclareLaunchArgument('bag', description='bag to replay: a rosbag2 directory, .mcap or .db3'),
        DeclareLaunchArgument('output', description='bag directory to record into (must not exist yet)'),
        DeclareLaunchArgument(
            'image', default_value='/camera/image_raw',
            description='camera topic in the bag; with input_transport "compressed" the node and the '
                        'replay use <image>/compressed'),
        DeclareLaunchArgument('gt_topic', default_value='/camera/label_gt', description='ground truth, replayed and recorded'),
        DeclareLaunchArgument(
            'input_transport', default_value='raw',
            description='"raw" (sensor_msgs/Image) or "compressed" (CompressedImage, as in samples/camvid_val_8)'),
        DeclareLaunchArgument(
            'params_file', default_value=[share, '/config/params.yaml'],
            description='node parameters'),
        DeclareLaunchArgument(
            'qos', default_value='reliable',
            description='QoS of the node\'s input and outputs: "reliable" (no frame lost; the bag must '
                        'offer reliable, as bags of attendseg bag-from-folder do) or "sensor_data" (a bag '
                        'recorded from a best-effort camera)'),
        DeclareLaunchArgument('rate', default_value='1.0', description='replay speed; lower it when the node drops frames'),
        DeclareLaunchArgument('start_delay', default_value='3.0', description='seconds from starting node and recorder to replay'),
        DeclareLaunchArgument(
            'play_delay', default_value='1.0',
            description='seconds ros2 bag play waits between creating its publishers and the first message (> 0)'),
        DeclareLaunchArgument('drain_time', default_value='2.0', description='seconds from the end of replay to shutdown'),
        DeclareLaunchArgument('storage', default_value='', description='storage of the recording: mcap, sqlite3, or "" for rosbag2\'s default'),
        DeclareLaunchArgument('record_overlay', default_value='false', description='also record /attendseg/overlay'),
        OpaqueFunction(function=_setup),
    ])
