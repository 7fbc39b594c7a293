export { AgentMemory, type PutOptions, type PutResult } from './agent-memory';
export { MemorySync, mergeValues, type MemorySyncOptions, type SyncReport } from './memory-sync';
