# eBPF assembly, one line at a time. Two syntaxes, mixable in one file:
#  - LLVM BPF syntax as llvm-objdump prints it:  r0 = *(u32 *)(r1 + 4), if w1 s< 5 goto -3
#  - bpf_conformance mnemonics:                  ldxw %r0, [%r1+4], jeq %r1, 0, exit
# The grammar fixes structure only. Names (mnemonics, `u32`/`s8` casts, `be16`, `atomic_fetch_add`,
# `xchg_64`) are tokens checked against the opcode table by src/asm, which also owns the
# zero/one/many-parses policy and all error messages.
@preprocessor typescript
@{%
import { lexer } from '../lexer.js';
%}
@lexer lexer

line      -> label:* stmt:?                      {% ([labels, stmt]) => ({ labels, stmt }) %}
label     -> %ident ":"                          {% ([t]) => t %}
# llvm-objdump may follow a jump with its symbolic target, `<LBB0_7>`; the number decides.
stmt      -> insn %ann:?                         {% ([[s]]) => s %}

# (each alternative yields [statement]; stmt unwraps it)
insn      -> mnemonic | alu | neg | movsx | end | lddw | ldx | ldpkt | st | lock | afetch | xchg | cond

# ---- mnemonic first: every conformance line, and llvm's exit/call/callx/goto/gotol/ld_pseudo
mnemonic  -> %ident operands                     {% ([mnemonic, operands]) => ({ t: 'generic', mnemonic, operands }) %}
operands  -> null                                {% () => [] %}
           | operands ",":? operand              {% ([list, comma, op]) => [...list, comma ? { ...op, comma } : op] %}
operand   -> reg                                 {% ([tok]) => ({ kind: 'reg', tok }) %}
           | num                                 {% id %}
           | "[" reg offset:? "]"                {% ([open, base, off]) => ({ kind: 'mem', base, off: off ?? undefined, open }) %}
           | %ident                              {% ([tok]) => ({ kind: 'label', tok }) %}

# ---- LLVM syntax
alu       -> reg aluop (reg | num)               {% ([dst, op, [src]]) => ({ t: 'alu', dst, op, src }) %}
aluop     -> ("=" | "+=" | "-=" | "*=" | "/=" | "%=" | "|=" | "&=" | "^=" | "<<=" | ">>=" | "s>>=" | "s/=" | "s%=")
             {% ([[t]]) => t %}
neg       -> reg "=" "-" reg                     {% ([dst, , , src]) => ({ t: 'neg', dst, src }) %}
movsx     -> reg "=" "(" %ident ")" reg          {% ([dst, , , cast, , src]) => ({ t: 'movsx', dst, cast, src }) %}
end       -> reg "=" %ident reg                  {% ([dst, , name, src]) => ({ t: 'end', dst, name, src }) %}
lddw      -> reg "=" num "ll"                    {% ([dst, , value]) => ({ t: 'lddw', dst, value }) %}
ldx       -> reg "=" cast memref                 {% ([dst, , size, mem]) => ({ t: 'ldx', dst, size, mem }) %}
ldpkt     -> reg "=" cast "skb" "[" num "]"      {% ([dst, , size, , open, off]) => ({ t: 'ldpkt', dst, size, off, open }) %}
           | reg "=" cast "skb" "[" reg offset:? "]"
             {% ([dst, , size, , open, index, off]) => ({ t: 'ldpkt', dst, size, index, off: off ?? undefined, open }) %}
st        -> cast memref "=" (reg | num)         {% ([size, mem, , [src]]) => ({ t: 'st', size, mem, src }) %}
lock      -> "lock" cast memref aluop reg        {% ([, size, mem, op, src]) => ({ t: 'lock', size, mem, op, src }) %}
afetch    -> reg "=" %ident "(" "(" %ident "*" ")" memref "," reg ")"
             {% ([dst, , fn, , , size, , , mem, , src]) => ({ t: 'afetch', dst, fn, size, mem, src }) %}
xchg      -> reg "=" %ident "(" addr "," reg ")" {% ([dst, , fn, , mem, , src]) => ({ t: 'xchg', dst, fn, mem, src }) %}
           | reg "=" %ident "(" addr "," reg "," reg ")"
             {% ([dst, , fn, , mem, , src, , src2]) => ({ t: 'xchg', dst, fn, mem, src, src2 }) %}
cond      -> "if" reg cmpop (reg | num) "goto" target
             {% ([kw, a, cmp, [b], , target]) => ({ t: 'if', kw, a, cmp, b, target }) %}
cmpop     -> ("==" | "!=" | ">" | ">=" | "<" | "<=" | "s>" | "s>=" | "s<" | "s<=" | "&") {% ([[t]]) => t %}
target    -> num                                 {% id %}
           | %ident                              {% ([tok]) => ({ kind: 'label', tok }) %}

# `*(u32 *)` — the size token is returned.
cast      -> "*" "(" %ident "*" ")"              {% ([, , size]) => size %}
memref    -> "(" addr ")"                        {% ([, m]) => m %}
addr      -> reg offset:?                        {% ([base, off]) => ({ kind: 'mem', base, off: off ?? undefined, open: base }) %}

# ---- shared pieces
reg       -> %reg {% id %} | %preg {% id %}
num       -> %num                                {% ([tok]) => ({ kind: 'num', tok }) %}
           | ("+" | "-") %num                    {% ([[sign], tok]) => ({ kind: 'num', sign, tok }) %}
offset    -> ("+" | "-") %num                    {% ([[sign], tok]) => ({ kind: 'num', sign, tok }) %}
