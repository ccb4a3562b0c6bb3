// scripts/tidy-glue.mjs WASM JS — a step of scripts/split.sh, after wasm-bindgen and
// before wasm-opt: the names between the page's wasm and its JS glue, made short, and
// the exports nothing calls, dropped. It rewrites both files in place.
//
// 1. Imports. wasm-bindgen names each import after the JS it calls plus a 16-digit hash
//    (`__wbg_addEventListener_70e3766f6252144d`) in a module named after the glue
//    (`./cachescope-<hash>_bg.js`); each name is written twice, in the wasm's import
//    section and as a key of the glue's import object, and the hashes do not compress.
//    Every import of that module is renamed `a`, `b`, … `aa`, … in both files and the
//    module `_`. Imports of other modules (the snippets', `__wasm_split.js`'s) keep
//    their names: those files export them.
// 2. Closure exports. The glue calls each Rust closure through an export named after its
//    whole type (`wasm_bindgen_<hash>___convert__closures_____invoke___…`, 100 to 300
//    characters); they become `c0`, `c1`, … in both files.
// 3. Exports nothing calls: the stream classes of wasm-streams
//    (`IntoUnderlyingSource`, `…Sink`, `…ByteSource`), which Leptos's server functions
//    bring and a page with no server never constructs. Their exports are dropped, so
//    wasm-opt drops the code only they reach; the glue's classes stay (never called).
// 4. What only those classes reach through the function table: the futures their
//    methods start and those futures' drops (wasm-streams' and, within it, js-sys's
//    `future_to_promise` for them, about 7 KB). The table keeps every function whose
//    address was taken at link time, and wasm-opt cannot drop a table entry (the
//    chunks import the table, and vtables in memory hold table indices), so step 3
//    alone leaves them. Each table entry whose function's name (the name section,
//    which scripts/split.sh keeps for this: wasm-bindgen --keep-debug; wasm-opt then
//    drops it) mentions wasm-streams is pointed at function 0 (an import) instead:
//    only a stream object could call one, and none is ever made; a call would trap on
//    its signature. wasm-opt then drops the code.
//
// Every name must appear where the glue is expected to have it (an import key exactly
// once; a closure export at least once); anything else (a new wasm-bindgen layout)
// stops the build with an error rather than write a page that cannot start. Node, not
// a crate: it runs where wasm-opt (npm's binaryen) does.
import fs from 'node:fs';
import path from 'node:path';

const [wasmPath, jsPath] = process.argv.slice(2);
if (!wasmPath || !jsPath) {
  console.error('usage: tidy-glue.mjs WASM JS');
  process.exit(2);
}
const die = (msg) => {
  console.error(`[tidy-glue] ERROR: ${msg}`);
  process.exit(1);
};

const wasm = fs.readFileSync(wasmPath);
let js = fs.readFileSync(jsPath, 'utf8');
const glueModule = `./${path.basename(jsPath, '.js')}_bg.js`;
const shortModule = '_';
const isClosure = (name) => /^wasm_bindgen_[0-9a-f]+___convert__closures_/.test(name);
const isUnused = (name) => /^(__wbg_)?intounderlying(bytesource|sink|source)_/.test(name);

function readLeb(buf, at) {
  let value = 0;
  let shift = 0;
  let pos = at;
  for (;;) {
    const byte = buf[pos++];
    value += (byte & 0x7f) * 2 ** shift;
    shift += 7;
    if (byte < 0x80) return [value, pos];
    if (shift > 35) die('bad LEB128 number');
  }
}

function leb(n) {
  const out = [];
  do {
    let byte = n % 128;
    n = Math.floor(n / 128);
    if (n > 0) byte |= 0x80;
    out.push(byte);
  } while (n > 0);
  return Buffer.from(out);
}

const readName = (buf, at) => {
  const [len, start] = readLeb(buf, at);
  return [buf.subarray(start, start + len).toString('utf8'), start + len];
};
const encodeName = (s) => {
  const b = Buffer.from(s, 'utf8');
  return Buffer.concat([leb(b.length), b]);
};

// a, b, …, z, A, …, Z, then two letters.
const LETTERS = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ';
function shortName(i) {
  let s = '';
  let n = i;
  do {
    s = LETTERS[n % LETTERS.length] + s;
    n = Math.floor(n / LETTERS.length) - 1;
  } while (n >= 0);
  return s;
}

// Skips an import's description (after its module and name); returns the next position.
function skipImportDesc(buf, at) {
  const kind = buf[at];
  let pos = at + 1;
  const limits = (p) => {
    const [flags, q] = readLeb(buf, p);
    const r = readLeb(buf, q)[1];
    return flags & 1 ? readLeb(buf, r)[1] : r;
  };
  if (kind === 0) return readLeb(buf, pos)[1]; // function: its type
  if (kind === 1) return limits(pos + 1); // table: element type, limits
  if (kind === 2) return limits(pos); // memory: limits
  if (kind === 3) return pos + 2; // global: value type, mutability
  return die(`unknown import kind ${kind}`);
}

const imports = new Map(); // old name -> new
const closures = new Map(); // old name -> new
const dropped = [];
let stubbed = 0;
let functionImports = 0;

// Function names, from the name section's function names (subsection 1).
function functionNames() {
  const names = new Map();
  let pos = 8;
  while (pos < wasm.length) {
    const id = wasm[pos];
    const [size, start] = readLeb(wasm, pos + 1);
    const end = start + size;
    if (id === 0) {
      const [section, body] = readName(wasm, start);
      if (section === 'name') {
        let at = body;
        while (at < end) {
          const sub = wasm[at];
          const [subSize, subStart] = readLeb(wasm, at + 1);
          if (sub === 1) {
            let [count, q] = readLeb(wasm, subStart);
            for (; count > 0; count--) {
              const [index, r] = readLeb(wasm, q);
              const [name, next] = readName(wasm, r);
              names.set(index, name);
              q = next;
            }
          }
          at = subStart + subSize;
        }
      }
    }
    pos = end;
  }
  return names;
}
const names = functionNames();
if (names.size === 0) die(`${wasmPath} has no function names (wasm-bindgen --keep-debug keeps them)`);
const isStream = (index) => /\bwasm_streams(\[[0-9a-f]+\])?::/.test(names.get(index) ?? '');

// The element section with the stream entries pointed at function 0 (step 4). Each
// index is rewritten in the bytes it had (LEB128 padded), so no size changes.
function elementSection(start, end) {
  const out = Buffer.from(wasm.subarray(start, end));
  const at0 = start;
  let [count, at] = readLeb(wasm, start);
  const constExpr = (p) => {
    if (wasm[p] !== 0x41) die('an element segment offset that is not i32.const');
    const q = readLeb(wasm, p + 1)[1];
    if (wasm[q] !== 0x0b) die('an element segment offset longer than one i32.const');
    return q + 1;
  };
  for (; count > 0; count--) {
    const [flags, afterFlags] = readLeb(wasm, at);
    // 0: table 0, offset, function indices; 4: table 0, offset, ref.func expressions.
    if (flags !== 0 && flags !== 4) die(`element segment kind ${flags} (expected 0 or 4)`);
    let [n, p] = readLeb(wasm, constExpr(afterFlags));
    for (; n > 0; n--) {
      if (flags === 4) {
        if (wasm[p] === 0xd0) { // ref.null funcref end
          p += 3;
          continue;
        }
        if (wasm[p] !== 0xd2) die('an element expression that is not ref.func');
        p += 1;
      }
      const [index, next] = readLeb(wasm, p);
      if (isStream(index)) {
        for (let k = p; k < next; k++) out[k - at0] = k < next - 1 ? 0x80 : 0x00;
        stubbed++;
      }
      p = next;
      if (flags === 4) {
        if (wasm[p] !== 0x0b) die('an element expression longer than ref.func');
        p += 1;
      }
    }
    at = p;
  }
  if (at !== end) die('the element section does not end where its size says');
  return out;
}

function importSection(start, end) {
  const [count, first] = readLeb(wasm, start);
  const out = [leb(count)];
  let at = first;
  for (let i = 0; i < count; i++) {
    const [module, afterModule] = readName(wasm, at);
    const [field, afterField] = readName(wasm, afterModule);
    const afterDesc = skipImportDesc(wasm, afterField);
    if (wasm[afterField] === 0) functionImports++;
    if (module === glueModule) {
      if (!imports.has(field)) imports.set(field, shortName(imports.size));
      out.push(encodeName(shortModule), encodeName(imports.get(field)));
    } else {
      out.push(wasm.subarray(at, afterField));
    }
    out.push(wasm.subarray(afterField, afterDesc));
    at = afterDesc;
  }
  if (at !== end) die('the import section does not end where its size says');
  return Buffer.concat(out);
}

function exportSection(start, end) {
  const [count, first] = readLeb(wasm, start);
  const kept = [];
  let at = first;
  for (let i = 0; i < count; i++) {
    const [field, afterField] = readName(wasm, at);
    const afterDesc = readLeb(wasm, afterField + 1)[1]; // kind, index
    const desc = wasm.subarray(afterField, afterDesc);
    if (isUnused(field)) {
      dropped.push(field);
    } else if (isClosure(field)) {
      const to = `c${closures.size}`;
      closures.set(field, to);
      kept.push(Buffer.concat([encodeName(to), desc]));
    } else {
      kept.push(wasm.subarray(at, afterDesc));
    }
    at = afterDesc;
  }
  if (at !== end) die('the export section does not end where its size says');
  return Buffer.concat([leb(kept.length), ...kept]);
}

if (wasm.readUInt32LE(0) !== 0x6d736100) die(`${wasmPath} is not a wasm module`);
const parts = [wasm.subarray(0, 8)];
let pos = 8;
while (pos < wasm.length) {
  const id = wasm[pos];
  const [size, start] = readLeb(wasm, pos + 1);
  const end = start + size;
  const body =
    id === 2 ? importSection(start, end)
    : id === 7 ? exportSection(start, end)
    : id === 9 ? elementSection(start, end)
    : null;
  parts.push(body ? Buffer.concat([Buffer.from([id]), leb(body.length), body]) : wasm.subarray(pos, end));
  pos = end;
}
if (imports.size === 0) die(`no import of ${glueModule} in ${wasmPath}`);
if (stubbed > 0 && functionImports === 0) die('function 0 is not an import, so it cannot stand in for the stream entries');

// The glue: `"./<stem>_bg.js": import0`, each key of that import object, and each call
// of a closure export (`wasm.<name>(`).
const moduleKey = `"${glueModule}": `;
if (js.split(moduleKey).length !== 2) die(`${jsPath} does not name ${glueModule} exactly once`);
js = js.replace(moduleKey, `${shortModule}: `);
for (const [from, to] of imports) {
  const key = new RegExp(`(\\n\\s+)${from}(: function\\()`, 'g');
  const hits = js.match(key)?.length ?? 0;
  if (hits !== 1) die(`${jsPath} has ${hits} import keys ${from} (expected 1)`);
  js = js.replace(key, `$1${to}$2`);
}
for (const [from, to] of closures) {
  const call = new RegExp(`\\bwasm\\.${from}\\b`, 'g');
  if (!call.test(js)) die(`${jsPath} never calls the export ${from}`);
  js = js.replace(call, `wasm.${to}`);
}

fs.writeFileSync(wasmPath, Buffer.concat(parts));
fs.writeFileSync(jsPath, js);
console.error(
  `[tidy-glue] ${imports.size} imports and ${closures.size} closure exports renamed, ${dropped.length} unused exports dropped, ${stubbed} stream table entries cleared`,
);
