/**
 * Module data in a stream. Module keys are refused by their type's name (the 9 characters
 * Redis packs into the module id); module aux data is stepped over, as its values are
 * self-describing (RDB_MODULE_OPCODE_*) and none of it belongs to a key.
 */
import type { Cursor } from './cursor';

const NAME_CHARS = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
const ENCODING_VERSION_BITS = 10n;

export function moduleTypeName(moduleId: bigint): string {
  let id = moduleId >> ENCODING_VERSION_BITS;
  let name = '';
  for (let i = 0; i < 9; i += 1) {
    name = (NAME_CHARS[Number(id & 63n)] as string) + name;
    id >>= 6n;
  }
  return name;
}

const MODULE_EOF = 0;
const MODULE_SINT = 1;
const MODULE_UINT = 2;
const MODULE_FLOAT = 3;
const MODULE_DOUBLE = 4;
const MODULE_STRING = 5;

export function skipModuleAux(c: Cursor): void {
  c.length64();
  if (c.length() !== MODULE_UINT) c.bad('module aux data without its "when" field');
  c.length();
  for (;;) {
    const opcode = c.length();
    if (opcode === MODULE_EOF) return;
    if (opcode === MODULE_SINT || opcode === MODULE_UINT) c.length64();
    else if (opcode === MODULE_FLOAT) c.skip(4);
    else if (opcode === MODULE_DOUBLE) c.skip(8);
    else if (opcode === MODULE_STRING) c.skipString();
    else c.bad(`an unknown module value opcode ${opcode}`);
  }
}
