// The build-time tracing worker (dist/specialize-worker.cjs): see tracer.ts.
import { workerData } from "node:worker_threads";
import { serveTraces, type WorkerData } from "./tracer.js";

serveTraces(workerData as WorkerData);
