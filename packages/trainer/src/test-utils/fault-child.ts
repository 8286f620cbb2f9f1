// Child process of the fault-injection test: runs faultRun and SIGKILLs itself at the given point.
import * as tf from '@tensorflow/tfjs-core';
import { faultRun, type KillPoint } from './fault-run';
import './toy-data';

await tf.setBackend('cpu');
await faultRun(process.argv[2], { kill: JSON.parse(process.argv[3]) as KillPoint });
