// The name recorded for a destructured parameter (`({ a, b }) => ...`), shared by the runtime
// (parameter parsing, messages) and the build-time transformer (site metadata). Kept in a
// module of its own so the editor plugin can import it without bundling the runtime.

export const DESTRUCTURED = "<destructured>";
