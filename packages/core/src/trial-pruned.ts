import { FmnistError } from './fmnist-error';

// Its own marker (see FmnistError): TrialPruned.isInstance is true for TrialPruned only, from any copy of the package.
const MARKER = '@fmnist/error/TrialPruned';

/**
 * Thrown to end a trial as pruned (optuna.TrialPruned): by an objective after `trial.shouldPrune()`,
 * or by @fmnist/trainer's `TrialPruningCallback`. `study.optimize` records the trial as PRUNED
 * instead of failing it. It lives here, in the package every other depends on, so that the trainer
 * can throw it and the tuner recognise it without either depending on the other.
 */
export class TrialPruned extends FmnistError {
  override readonly name = 'TrialPruned';
  static {
    FmnistError.mark(TrialPruned, MARKER);
  }

  constructor(message = 'trial pruned') {
    super(message, { kind: 'failure' });
  }

  static override isInstance(error: unknown): error is TrialPruned {
    return FmnistError.hasMarker(error, MARKER);
  }
}
