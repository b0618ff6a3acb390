// The error a call throws (failing the test if it throws none).

export function caught<E extends Error = Error>(fn: () => unknown): E {
  try {
    fn();
  } catch (e) {
    return e as E;
  }
  throw new Error("expected an error");
}
