/*
** hk_gpu_port.h — the few runtime names that differ between CUDA and HIP,
** so the kernels/gpu sources compile unchanged under nvcc (libha_cuda.so) and
** hipcc (libha_hip.so).
**
** What runs where: everything in kernels/gpu is host code that launches
** device kernels on device pointers; nothing here touches MPI.  The
** runtime reaches it only through the exported hk_table instance after
** dlopen() and a successful probe (runtime/gpu_load.c).
*/
#ifndef HK_GPU_PORT_H
#define HK_GPU_PORT_H

#if defined(__HIPCC__)
#include <hip/hip_runtime.h>
#define hkgError_t hipError_t
#define hkgSuccess hipSuccess
#define hkgErrorInvalidValue hipErrorInvalidValue
#define hkgGetDeviceCount hipGetDeviceCount
#define hkgGetErrorString hipGetErrorString
#define hkgMalloc hipMalloc
#define hkgFree hipFree
#define hkgMemcpy hipMemcpy
#define hkgMemcpyDefault hipMemcpyDefault
#define hkgMemset hipMemset
#define hkgDeviceSynchronize hipDeviceSynchronize
#define hkgGetLastError hipGetLastError
#define HK_GPU_NAME "hip"
#else
#include <cuda_runtime.h>
#define hkgError_t cudaError_t
#define hkgSuccess cudaSuccess
#define hkgErrorInvalidValue cudaErrorInvalidValue
#define hkgGetDeviceCount cudaGetDeviceCount
#define hkgGetErrorString cudaGetErrorString
#define hkgMalloc cudaMalloc
#define hkgFree cudaFree
#define hkgMemcpy cudaMemcpy
#define hkgMemcpyDefault cudaMemcpyDefault
#define hkgMemset cudaMemset
#define hkgDeviceSynchronize cudaDeviceSynchronize
#define hkgGetLastError cudaGetLastError
#define HK_GPU_NAME "cuda"
#endif

/* Threads per block for the 1-d elementwise grids and the block reductions
** (a power of two: the reductions halve it). */
#define HK_GPU_THREADS 256

/* Exported with C linkage so runtime/gpu_load.c finds them by dlsym. */
#define HK_GPU_EXPORT extern "C" __attribute__((visibility("default")))

#endif
