// Stable small integers for object identity (keys by identity without holding objects alive).

const ids = new WeakMap<object, number>();
const symbolIds = new Map<symbol, number>();
let next = 0;

export function identityOf(o: object | symbol): number {
  if (typeof o === "symbol") {
    let id = symbolIds.get(o);
    if (id === undefined) symbolIds.set(o, (id = next++));
    return id;
  }
  let id = ids.get(o);
  if (id === undefined) ids.set(o, (id = next++));
  return id;
}
