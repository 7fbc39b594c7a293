const NAME = /^[A-Za-z0-9_.:-]{1,128}$/;

/** A name that may stand inside a key (a queue, swarm, lock, namespace…): never a brace, so it cannot open or close a hash tag. */
export function isValidName(name: string): boolean {
  return NAME.test(name) && !name.includes('{') && !name.includes('}');
}
