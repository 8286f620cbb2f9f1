/** Bad model input (unknown name, invalid option, unreadable model directory): names the field or file. */
export class ModelError extends Error {
  override readonly name = 'ModelError';
}
