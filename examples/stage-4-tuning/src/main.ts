import { stageMain } from '@fmnist/example-stage-kit';
import { stage4 } from './stage';

await stageMain(stage4);
