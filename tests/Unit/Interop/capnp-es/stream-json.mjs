// Reads stream-framed (unpacked) Cap'n Proto messages with capnp-es and gives each root as JSON in the
// conventions of `capnp convert binary:json`: shared by read.mjs (one module, one file) and read-carried.mjs
// (many, in one process). The conventions: Int64/UInt64 as strings, NaN/±Infinity (and -0, which JSON numbers
// cannot keep) as strings, Data as byte arrays, only the active member of a union, null pointers omitted. Enums
// stay ordinals (the generated enums are plain objects, not tied to their fields). Text has no has-method in the
// generated classes, so a null Text reads as "" here, as it does for any capnp-es user.
import * as $ from "capnp-es";

// The root of each message of the stream as JSON, in order. The stream ends at the end of the bytes or at a
// segment table that declares an empty first segment (slack, as `capnp convert` and CapMap's MessageStream take it).
export function readStream(Root, bytes) {
  const roots = [];
  for (let at = 0; bytes.length - at >= 8; ) {
    const view = new DataView(bytes.buffer, bytes.byteOffset + at, bytes.length - at);
    const segments = view.getUint32(0, true) + 1;
    if (view.getUint32(4, true) === 0) break;
    let words = 0;
    for (let i = 0; i < segments; i++) words += view.getUint32(4 + 4 * i, true);
    const tableBytes = 4 + 4 * segments + (segments % 2 === 0 ? 4 : 0);
    const end = at + tableBytes + 8 * words;
    // false: not packed (capnp-es assumes packed input by default). Copy out of Node's pooled buffer.
    const message = new $.Message(bytes.buffer.slice(bytes.byteOffset + at, bytes.byteOffset + end), false);
    // capnp-es charges every pointer read (8 bytes each) against a fixed 64 MiB budget, so printing every field of
    // a few tens of thousands of records trips it; the C++ readers' limit is raised the same way for big files. It
    // has no public option: the budget lives in the message's internal state.
    message._capnp.traversalLimit = Number.MAX_SAFE_INTEGER;
    roots.push(toJson(message.getRoot(Root)));
    at = end;
  }
  return roots;
}

function toJson(value) {
  if (value === undefined || value === null) return null;
  if (typeof value === "bigint") return value.toString();
  if (typeof value === "number") {
    if (Number.isNaN(value)) return "NaN";
    if (value === Infinity) return "Infinity";
    if (value === -Infinity) return "-Infinity";
    return Object.is(value, -0) ? "-0" : value;
  }
  if (typeof value === "string" || typeof value === "boolean") return value;
  if (value instanceof $.Data) return Array.from(value.toUint8Array());
  if (value instanceof $.Struct) return structToJson(value);
  // capnp-es 0.0.16 reads a List(Void)'s elements as 8-byte pointers and throws once one lies past the end of
  // its segment (even for capnp's own encoding of `[void, void]`); Void elements hold nothing, so the length is
  // all there is to read.
  if (value instanceof $.VoidList) return Array.from({ length: value.length }, () => null);
  if (value instanceof $.List) return Array.from(value, toJson);
  throw new Error(`cannot print ${Object.prototype.toString.call(value)}`);
}

// A generated class has one getter per field (a group is a getter returning the group's struct), `_isX` getters
// for union members and `_hasX()` methods for pointer fields.
function structToJson(struct) {
  const proto = Object.getPrototypeOf(struct);
  const getters = Object.entries(Object.getOwnPropertyDescriptors(proto)).filter(([, d]) => d.get).map(([name]) => name);
  const result = {};
  for (const name of getters.filter((n) => !n.startsWith("_"))) {
    const suffix = name[0].toUpperCase() + name.slice(1);
    if (getters.includes(`_is${suffix}`) && !struct[`_is${suffix}`]) continue; // inactive union member
    if (typeof proto[`_has${suffix}`] === "function" && !struct[`_has${suffix}`]()) continue; // null pointer
    result[name] = toJson(struct[name]);
  }
  // A Void union member has no getter, only `_isX`.
  for (const name of getters.filter((n) => n.startsWith("_is"))) {
    const member = name[3].toLowerCase() + name.slice(4);
    if (struct[name] && !(member in result)) result[member] = null;
  }
  return result;
}
