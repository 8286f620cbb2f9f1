/** Bad training input (options, data, resume directory): names the field or file. */
export class TrainerError extends Error {
  override readonly name = 'TrainerError';
}
