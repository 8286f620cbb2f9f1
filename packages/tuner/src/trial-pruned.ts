/** Thrown by an objective to say the trial was pruned (optuna.TrialPruned). */
export class TrialPruned extends Error {
  override readonly name = 'TrialPruned';
  constructor(message = 'trial pruned') {
    super(message);
  }
}
