/**
 * A DER element tree for structure-aware fuzzing: parse a genuine request into elements, change
 * one element (its tag, its bytes, its presence), and write it back with correct lengths, so the
 * result still parses as far as the changed element and reaches the decoder's deep checks
 * (extensions, keys, signatures) instead of dying at the first length byte. Independent of
 * src/core on purpose: the code under test must not shape its own fuzz input.
 */

export interface DerNode {
  tag: number;
  /** Constructed elements, and OCTET/BIT STRINGs whose bytes are themselves one DER element. */
  children?: DerNode[];
  /** For a BIT STRING holding DER: the unused-bits byte written before the children. */
  bitStringPrefix?: number;
  /** Primitive content. */
  content?: number[];
}

function readLength(bytes: Uint8Array, at: number): { length: number; next: number } | undefined {
  const first = bytes[at];
  if (first === undefined) return undefined;
  if (first < 0x80) return { length: first, next: at + 1 };
  const count = first & 0x7f;
  if (count === 0 || count > 3) return undefined;
  let length = 0;
  for (let i = 1; i <= count; i++) {
    const b = bytes[at + i];
    if (b === undefined) return undefined;
    length = length * 256 + b;
  }
  return { length, next: at + 1 + count };
}

/** Parses exactly one element filling `bytes[start, end)`; undefined when it does not. */
function parseOne(bytes: Uint8Array, start: number, end: number): DerNode | undefined {
  const list = parseList(bytes, start, end);
  return list?.length === 1 ? list[0] : undefined;
}

function parseList(bytes: Uint8Array, start: number, end: number): DerNode[] | undefined {
  const nodes: DerNode[] = [];
  let at = start;
  while (at < end) {
    const tag = bytes[at];
    if (tag === undefined || (tag & 0x1f) === 0x1f) return undefined;
    const len = readLength(bytes, at + 1);
    if (len === undefined || len.next + len.length > end) return undefined;
    const contentEnd = len.next + len.length;
    if ((tag & 0x20) !== 0) {
      const children = parseList(bytes, len.next, contentEnd);
      if (children === undefined) return undefined;
      nodes.push({ tag, children });
    } else if (tag === 0x04 && len.length > 0) {
      const inner = parseOne(bytes, len.next, contentEnd);
      nodes.push(
        inner === undefined
          ? { tag, content: [...bytes.subarray(len.next, contentEnd)] }
          : { tag, children: [inner] },
      );
    } else if (tag === 0x03 && len.length > 1 && bytes[len.next] === 0) {
      const inner = parseOne(bytes, len.next + 1, contentEnd);
      nodes.push(
        inner === undefined
          ? { tag, content: [...bytes.subarray(len.next, contentEnd)] }
          : { tag, bitStringPrefix: 0, children: [inner] },
      );
    } else {
      nodes.push({ tag, content: [...bytes.subarray(len.next, contentEnd)] });
    }
    at = contentEnd;
  }
  return nodes;
}

export function parseDerTree(bytes: Uint8Array): DerNode {
  const node = parseOne(bytes, 0, bytes.length);
  if (node === undefined) throw new Error("der-tree: not one DER element");
  return node;
}

function lengthBytes(n: number): number[] {
  if (n < 0x80) return [n];
  const out: number[] = [];
  for (let v = n; v > 0; v = Math.floor(v / 256)) out.unshift(v % 256);
  return [0x80 | out.length, ...out];
}

function encodeNode(node: DerNode): number[] {
  const body =
    node.children === undefined
      ? (node.content ?? [])
      : [
          ...(node.bitStringPrefix === undefined ? [] : [node.bitStringPrefix]),
          ...node.children.flatMap(encodeNode),
        ];
  return [node.tag, ...lengthBytes(body.length), ...body];
}

export function encodeDerTree(node: DerNode): Uint8Array {
  return Uint8Array.from(encodeNode(node));
}

export function cloneTree(node: DerNode): DerNode {
  return structuredClone(node);
}

/** Every element in pre-order with its parent (undefined for the root) and index there. */
export function elements(root: DerNode): { node: DerNode; parent?: DerNode; index: number }[] {
  const out: { node: DerNode; parent?: DerNode; index: number }[] = [{ node: root, index: 0 }];
  const walk = (parent: DerNode): void => {
    for (const [index, node] of (parent.children ?? []).entries()) {
      out.push({ node, parent, index });
      walk(node);
    }
  };
  walk(root);
  return out;
}
