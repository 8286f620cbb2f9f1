import { existsSync } from 'node:fs';

const LIB_DIRS = ['/usr/lib/x86_64-linux-gnu', '/usr/lib/aarch64-linux-gnu', '/usr/lib64', '/usr/lib'];

/**
 * Whether WebGPU tests skip: only off CI on a Linux machine with neither EGL (libEGL.so, the name
 * Dawn opens: libegl1 libgles2 libegl-mesa0 libegl-dev) nor a Vulkan loader, where Dawn can find
 * no adapter at all. In CI they always run.
 */
export function skipWebGpuTests(file: string): boolean {
  const driver = process.platform !== 'linux' || LIB_DIRS.some((dir) => existsSync(`${dir}/libEGL.so`) || existsSync(`${dir}/libvulkan.so.1`));
  const skip = !driver && !process.env.CI;
  if (skip)
    console.warn(
      `${file}: WebGPU tests skipped: neither EGL (apt-get install libegl1 libgles2 libegl-mesa0 libegl-dev) nor Vulkan is installed, and this is not CI`,
    );
  return skip;
}
