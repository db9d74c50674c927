/**
 * The one error every reader in this folder throws for bad input: the
 * message starts with the file's label and says what was wrong, e.g.
 * "data_batch_1.npz: corrupt zip (offset 70000 is past the end of 512
 * bytes)". Readers never return partial results; time and memory are
 * bounded by the input's size (and, for compressed data, by its declared
 * size plus INFLATE_MARGIN).
 */
export class FormatError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "FormatError";
  }
}
