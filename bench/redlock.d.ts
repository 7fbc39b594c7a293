// redlock 5.0.0-beta.2 ships its types at dist/index.d.ts but its package.json "exports" hides
// them from "moduleResolution: bundler"; this points TypeScript at them.
declare module 'redlock' {
  import Redlock from '../node_modules/redlock/dist/index';
  export default Redlock;
}
