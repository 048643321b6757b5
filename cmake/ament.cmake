# The colcon / ament_cmake half of CMakeLists.txt (included when cmake-js is not the caller).
# Builds the Node addon and the TypeScript, and installs the node and the attendseg CLI as an npm package tree under
# share/attendseg_ros (compiled lib/, build/Release/attendseg.node, models/, launch/, config/ and
# the production node_modules) with launchers in lib/attendseg_ros, where `ros2 run` looks.
#
# node_modules comes from `npm ci` in the source folder, run with ROS sourced so that rclnodejs is
# built for this ROS distribution. Without ament_cmake (a plain cmake build of the native library
# and its tests) this file does nothing.
find_package(ament_cmake QUIET)
if(NOT ament_cmake_FOUND)
  message(STATUS "ament_cmake not found: native library and tests only (source ROS 2 to build the ROS package)")
  return()
endif()

set(ATTENDSEG_SRC ${CMAKE_CURRENT_SOURCE_DIR})
set(ATTENDSEG_SHARE share/${PROJECT_NAME})
find_program(NODE_EXECUTABLE node)
find_program(NPM_EXECUTABLE npm)
if(NOT NODE_EXECUTABLE OR NOT NPM_EXECUTABLE)
  message(FATAL_ERROR "node and npm are needed (Node.js >= 20): install nodejs, then run 'npm ci' in ${ATTENDSEG_SRC}")
endif()
foreach(required node-addon-api node-api-headers typescript rclnodejs)
  if(NOT EXISTS ${ATTENDSEG_SRC}/node_modules/${required}/package.json)
    message(FATAL_ERROR "node_modules/${required} is missing: run 'npm ci' in ${ATTENDSEG_SRC} with ROS sourced first")
  endif()
endforeach()

function(attendseg_node_eval out expression)
  execute_process(COMMAND ${NODE_EXECUTABLE} -p "${expression}" WORKING_DIRECTORY ${ATTENDSEG_SRC}
                  OUTPUT_VARIABLE value OUTPUT_STRIP_TRAILING_WHITESPACE RESULT_VARIABLE rc)
  if(NOT rc EQUAL 0)
    message(FATAL_ERROR "node -p \"${expression}\" failed")
  endif()
  string(REPLACE "\"" "" value "${value}")
  set(${out} "${value}" PARENT_SCOPE)
endfunction()
# tsc and the node need Node.js 20 or newer; Ubuntu 22.04's own nodejs package is 12
attendseg_node_eval(ATTENDSEG_NODE_VERSION "process.versions.node")
if(ATTENDSEG_NODE_VERSION VERSION_LESS 20)
  message(FATAL_ERROR "${NODE_EXECUTABLE} is Node.js ${ATTENDSEG_NODE_VERSION}; 20 or newer is needed (see README.md)")
endif()

# ---- the addon: the same sources and flags as the cmake-js build, headers from node_modules ----
attendseg_node_eval(NODE_ADDON_API_DIR "require('node-addon-api').include")
attendseg_node_eval(NODE_API_HEADERS_DIR "require('node-api-headers').include_dir")
file(GLOB ATTENDSEG_ADDON_SRC CONFIGURE_DEPENDS ${ATTENDSEG_SRC}/native/addon/*.cpp)
add_library(attendseg_addon MODULE ${ATTENDSEG_ADDON_SRC})
set_target_properties(attendseg_addon PROPERTIES PREFIX "" SUFFIX ".node" OUTPUT_NAME "attendseg"
                      LIBRARY_OUTPUT_DIRECTORY ${CMAKE_CURRENT_BINARY_DIR}/Release)
target_include_directories(attendseg_addon PRIVATE ${NODE_API_HEADERS_DIR} ${NODE_ADDON_API_DIR} ${ATTENDSEG_SRC}/native/src)
target_compile_definitions(attendseg_addon PRIVATE NAPI_VERSION=8 NAPI_CPP_EXCEPTIONS NODE_ADDON_API_DISABLE_DEPRECATED
                           BUILDING_NODE_EXTENSION)
target_link_libraries(attendseg_addon PRIVATE attendseg_core)  # N-API symbols resolve from node at load

# ---- TypeScript into the build folder (the source tree's lib/ is npm's) ----
file(GLOB_RECURSE ATTENDSEG_TS CONFIGURE_DEPENDS ${ATTENDSEG_SRC}/src/*.ts)
set(ATTENDSEG_JS ${CMAKE_CURRENT_BINARY_DIR}/js)
add_custom_command(
  OUTPUT ${ATTENDSEG_JS}/ros/main.js
  COMMAND ${NODE_EXECUTABLE} ${ATTENDSEG_SRC}/node_modules/typescript/bin/tsc -p ${ATTENDSEG_SRC}/tsconfig.json
          --outDir ${ATTENDSEG_JS}
  DEPENDS ${ATTENDSEG_TS} ${ATTENDSEG_SRC}/tsconfig.json
  WORKING_DIRECTORY ${ATTENDSEG_SRC}
  COMMENT "Compiling the TypeScript")
add_custom_target(attendseg_typescript ALL DEPENDS ${ATTENDSEG_JS}/ros/main.js)

# ---- the launchers `ros2 run attendseg_ros attendseg_node|attendseg` finds; relocatable ----
set(ATTENDSEG_MAIN lib/ros/main.js)
configure_file(${CMAKE_CURRENT_LIST_DIR}/launcher.in ${CMAKE_CURRENT_BINARY_DIR}/attendseg_node @ONLY)
set(ATTENDSEG_MAIN lib/cli/main.js)
configure_file(${CMAKE_CURRENT_LIST_DIR}/launcher.in ${CMAKE_CURRENT_BINARY_DIR}/attendseg @ONLY)

install(PROGRAMS ${CMAKE_CURRENT_BINARY_DIR}/attendseg_node ${CMAKE_CURRENT_BINARY_DIR}/attendseg DESTINATION lib/${PROJECT_NAME})
install(DIRECTORY ${ATTENDSEG_JS}/ DESTINATION ${ATTENDSEG_SHARE}/lib)
install(TARGETS attendseg_addon LIBRARY DESTINATION ${ATTENDSEG_SHARE}/build/Release)
install(FILES ${ATTENDSEG_SRC}/package.json DESTINATION ${ATTENDSEG_SHARE})
install(DIRECTORY ${ATTENDSEG_SRC}/launch ${ATTENDSEG_SRC}/config DESTINATION ${ATTENDSEG_SHARE})
if(EXISTS ${ATTENDSEG_SRC}/models)  # the shipped model; a checkout without it uses model_path
  install(DIRECTORY ${ATTENDSEG_SRC}/models DESTINATION ${ATTENDSEG_SHARE})
endif()

# ---- runtime dependencies: npm's production tree, one top-level package folder at a time ----
execute_process(COMMAND ${NPM_EXECUTABLE} ls --omit=dev --all --parseable WORKING_DIRECTORY ${ATTENDSEG_SRC}
                OUTPUT_VARIABLE ATTENDSEG_NPM_LS ERROR_QUIET)
string(REPLACE "\n" ";" ATTENDSEG_NPM_LS "${ATTENDSEG_NPM_LS}")
set(ATTENDSEG_RUNTIME_PACKAGES "")
# npm prints physical paths, and the source folder may be reached through a link (a checkout
# linked into the workspace's src/); compared as a prefix, not a regex (paths may hold + or .)
get_filename_component(modules ${ATTENDSEG_SRC}/node_modules/ REALPATH)
string(LENGTH "${modules}/" modules_len)
foreach(dir IN LISTS ATTENDSEG_NPM_LS)
  string(FIND "${dir}" "${modules}/" at)
  if(at EQUAL 0)
    string(SUBSTRING "${dir}" ${modules_len} -1 pkg)
    if(pkg MATCHES "^(@[^/]+/)?[^/@]+$")  # top-level packages; nested ones come with them
      list(APPEND ATTENDSEG_RUNTIME_PACKAGES ${pkg})
    endif()
  endif()
endforeach()
list(REMOVE_DUPLICATES ATTENDSEG_RUNTIME_PACKAGES)
if(NOT ATTENDSEG_RUNTIME_PACKAGES MATCHES "rclnodejs")
  message(FATAL_ERROR "'npm ls --omit=dev' in ${ATTENDSEG_SRC} did not list rclnodejs: run 'npm ci' with ROS sourced")
endif()
foreach(pkg IN LISTS ATTENDSEG_RUNTIME_PACKAGES)
  get_filename_component(parent ${pkg} DIRECTORY)
  install(DIRECTORY ${ATTENDSEG_SRC}/node_modules/${pkg} DESTINATION ${ATTENDSEG_SHARE}/node_modules/${parent}
          USE_SOURCE_PERMISSIONS)
endforeach()

ament_package()
