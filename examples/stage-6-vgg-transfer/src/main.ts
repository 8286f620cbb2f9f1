import { stageMain } from '@fmnist/example-stage-kit';
import { stage6 } from './stage';

await stageMain(stage6);
