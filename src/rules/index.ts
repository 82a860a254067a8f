// The rule language: parse and check rule sets, evaluate them on packets, compile them to an
// XDP object and to SmartNIC table entries.
export { compileRulesText, loadRules, type LoadOptions } from './load.js';
export { parseText, rulesGrammar } from './parse.js';
export { tokenize, KEYWORDS, type Token } from './lexer.js';
export type { Ruleset, Rule, Cond, Act, Terminal, SetDecl, CounterDecl, LimiterDecl } from './ir.js';
export { FIELDS, fieldInfo, type FieldInfo, type Proto } from './fields.js';
export { compileRules, rulesObject, rulesAsm, rulesSetup, type CompiledRules } from './compile.js';
export { compileTables, formatOffload, type Tables, type TableEntry, type FlowEntry, type FibEntry, type AclEntry, type OffloadVerdict } from './tables.js';
export { evaluateRules, createState, XDP, VERDICT_CODE, type RuleState, type EvalResult, type Verdict, type CounterValue } from './evaluate.js';
export { setKey } from './setup.js';
