// Child process for the saved-convention test: a new process that loads a saved model and scores
// it with evaluate(model, dataset) and predict(model, dataset), given nothing but the directory.
import { loadModel, modelInput, predict } from '@fmnist/models';
import * as tf from '@tensorflow/tfjs-core';
import { evaluate } from '../evaluate';
import { toyDataset } from './toy-data';

await tf.setBackend('cpu');
const { model } = await loadModel(process.argv[2]);
const test = toyDataset(40, 99);
const scored = await evaluate(model, test);
const predicted = await predict(model, test);
console.log(
  JSON.stringify({
    normalize: modelInput(model).normalize,
    loss: scored.loss,
    accuracy: scored.accuracy,
    predictions: scored.predictions,
    indices: predicted.indices,
    probabilities: predicted.probabilities.map((p) => Array.from(p)),
  }),
);
