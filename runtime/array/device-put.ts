// devicePut (JAX's jax.device_put): an array on a chosen backend. Moving between backends is
// asynchronous in general (reading a device is), so this returns a promise; the copy is
// made once and cached on the source array (see ConcreteArray.to).

import { NDArray } from "./ndarray.js";
import type { BackendName } from "../backend/backend.js";
import { getBackend } from "../backend/registry.js";
import { ArgumentError } from "../errors.js";

/**
 * `x` on `backend` (default: the current default backend): `x` itself if it is there, else
 * a copy. `await devicePut(x, "cpu")` brings a webgpu array to the cpu backend;
 * `await devicePut(x, "webgpu")` uploads a cpu array (uploads are also automatic on use).
 */
export function devicePut(x: NDArray, backend: BackendName = getBackend()): Promise<NDArray> {
  if (!(x instanceof NDArray)) {
    return Promise.reject(new ArgumentError(`devicePut expects an NDArray, got ${typeof x}.`, "Make an array first: devicePut(np.array(value), backend)."));
  }
  return x.to(backend);
}
