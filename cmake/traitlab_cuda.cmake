# Decides how kernels/ is built (docs/kernels.md). Included from the
# top-level CMakeLists so enable_language(CUDA) runs at the top scope, as
# CMake requires for a language used across directories. Sets
#   TRAITLAB_CUDA_MODE = OFF   no nvcc (or TRAITLAB_WITH_CUDA=OFF): kernels/ is skipped
#                        CHECK nvcc found, LibTorch CPU-only: kernels compile as a check
#                        LINK  nvcc found, LibTorch with CUDA: core links the kernels
set(TRAITLAB_CUDA_MODE OFF)
string(TOUPPER "${TRAITLAB_WITH_CUDA}" _traitlab_want_cuda)
if(_traitlab_want_cuda MATCHES "^(OFF|0|NO|FALSE|N)$")
  message(STATUS "traitlab: CUDA kernels disabled (TRAITLAB_WITH_CUDA=${TRAITLAB_WITH_CUDA})")
  return()
endif()

# nvcc 13 dropped sm < 75; A100 (80) and H100/H200 (90) cover the GPUs we
# run on while keeping compile time to two targets. Override on the command line.
if(NOT DEFINED CMAKE_CUDA_ARCHITECTURES)
  set(CMAKE_CUDA_ARCHITECTURES "80;90" CACHE STRING "CUDA architectures for kernels/")
endif()
include(CheckLanguage)
check_language(CUDA)
if(NOT CMAKE_CUDA_COMPILER)
  if(_traitlab_want_cuda MATCHES "^(ON|1|YES|TRUE|Y)$")
    message(FATAL_ERROR "traitlab: TRAITLAB_WITH_CUDA=ON but no CUDA compiler (nvcc) was found; "
                        "set CUDACXX or CMAKE_CUDA_COMPILER, or use -DTRAITLAB_WITH_CUDA=OFF")
  endif()
  message(STATUS "traitlab: nvcc not found, skipping the CUDA kernels (CPU reference ops only)")
  return()
endif()
enable_language(CUDA)
set(CMAKE_CUDA_STANDARD 17)
set(CMAKE_CUDA_STANDARD_REQUIRED ON)
if(CCACHE_PROGRAM)
  set(CMAKE_CUDA_COMPILER_LAUNCHER ${CCACHE_PROGRAM})
endif()
find_package(CUDAToolkit REQUIRED)

# A CUDA LibTorch exports c10_cuda/torch_cuda and fills TORCH_CUDA_LIBRARIES.
if(TORCH_CUDA_LIBRARIES OR TARGET c10_cuda OR TARGET torch_cuda OR "${TORCH_LIBRARIES}" MATCHES "cuda")
  set(TRAITLAB_CUDA_MODE LINK)
  message(STATUS "traitlab: CUDA kernels linked into traitlab_core (nvcc ${CMAKE_CUDA_COMPILER_VERSION}, "
                 "archs ${CMAKE_CUDA_ARCHITECTURES})")
else()
  set(TRAITLAB_CUDA_MODE CHECK)
  message(STATUS "traitlab: LibTorch has no CUDA; CUDA kernels are compiled as a check only "
                 "(traitlab_kernels_check, archs ${CMAKE_CUDA_ARCHITECTURES})")
endif()
