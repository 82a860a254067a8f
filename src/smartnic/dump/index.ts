export { dumpVif, dumpNh, dumpMpls, dumpVxlan } from './vif-nh.js';
export { dumpRt, dumpFlow, dumpDrop } from './rt-flow.js';
export { dumpJson, type DumpTable } from './json.js';
