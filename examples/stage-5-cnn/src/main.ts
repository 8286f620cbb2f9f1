import { stageMain } from '@fmnist/example-stage-kit';
import { stage5 } from './stage';

await stageMain(stage5);
