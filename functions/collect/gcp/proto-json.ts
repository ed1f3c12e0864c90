/**
 * GKE messages back to the REST JSON the API sends (proto3 JSON), from what
 * `@google-cloud/container` hands over.
 *
 * The library decodes each answer into a plain object with every field filled in: absent
 * booleans become `false`, absent strings `''`, absent enums their `*_UNSPECIFIED` name, absent
 * messages `null`, absent lists `[]`, and every oneof gets an extra key naming its set member
 * (`_satisfiesPzs: 'satisfiesPzs'`); `Timestamp` and `Duration` become `{ seconds, nanos }`.
 * The REST API omits default values, and the checks read the REST shape (`legacyAbac: {}` means
 * "not enabled"), so {@link toRestJson} drops what the API would not have sent, using the
 * library's own descriptors (`protos.json`): a field without presence is dropped when it holds
 * its default; a field with presence (a oneof member, proto3 `optional`) and a message that was
 * sent (even empty) are kept; well-known types get their JSON form.
 */

/** A node of protobufjs's JSON descriptor (`protos.json`). */
interface DescriptorNode {
  nested?: Record<string, DescriptorNode>;
  fields?: Record<
    string,
    { type: string; id: number; rule?: string; keyType?: string; options?: unknown }
  >;
  oneofs?: Record<string, { oneof: string[] }>;
  /** An enum's values. */
  values?: Record<string, number>;
}

/** One field of a message. */
export interface ProtoField {
  /** The JSON (lowerCamelCase) name, as in the REST JSON and the decoded object. */
  name: string;
  repeated: boolean;
  map: boolean;
  /** A oneof member (proto3 `optional` included): sent whenever set, even to its default. */
  presence: boolean;
  kind: 'scalar' | 'enum' | 'message';
  /** The scalar type (`int64`), or the full name of the enum or message type. */
  type: string;
  /** An enum's values by name. */
  enumValues?: Readonly<Record<string, number>>;
}

/** A message type, from the library's descriptors. */
export interface ProtoMessage {
  /** Full name: `google.container.v1.Cluster`. */
  name: string;
  /** Fields by JSON name. */
  fields: ReadonlyMap<string, ProtoField>;
}

/** The library's descriptors, once {@link loadContainerDescriptors} has read them. */
let ROOT: DescriptorNode | undefined;

/**
 * Reads the library's descriptors (3.5 MB of JSON) on first use: a dynamic import, so that a
 * bundle that never converts a cluster (the `plan` function) neither loads nor carries them.
 *
 * @example await loadContainerDescriptors(); protoMessage('google.container.v1.Cluster');
 */
export async function loadContainerDescriptors(): Promise<void> {
  ROOT ??= (
    await import('@google-cloud/container/build/protos/protos.json', { with: { type: 'json' } })
  ).default as unknown as DescriptorNode;
}

const SCALARS = new Set([
  'double',
  'float',
  'int32',
  'int64',
  'uint32',
  'uint64',
  'sint32',
  'sint64',
  'fixed32',
  'fixed64',
  'sfixed32',
  'sfixed64',
  'bool',
  'string',
  'bytes',
]);
const LONGS = new Set(['int64', 'uint64', 'sint64', 'fixed64', 'sfixed64']);

const messages = new Map<string, ProtoMessage>();

/**
 * A message type of the GKE API's descriptors (and the well-known types they use).
 *
 * @example protoMessage('google.container.v1.Cluster').fields.get('legacyAbac')?.type // 'google.container.v1.LegacyAbac'
 */
export function protoMessage(fullName: string): ProtoMessage {
  const cached = messages.get(fullName);
  if (cached) return cached;
  const path = fullName.split('.');
  const node = lookup(path);
  if (!node?.fields) throw new Error(`${fullName} is not a message of the GKE API's protos`);
  const inOneof = new Set(Object.values(node.oneofs ?? {}).flatMap((o) => o.oneof));
  const fields = new Map<string, ProtoField>();
  for (const [name, f] of Object.entries(node.fields)) {
    const field: ProtoField = {
      name,
      repeated: f.rule === 'repeated',
      map: f.keyType !== undefined,
      presence: inOneof.has(name),
      kind: 'scalar',
      type: f.type,
    };
    if (!SCALARS.has(f.type)) {
      const resolved = resolve(f.type, path);
      if (!resolved) throw new Error(`${fullName}.${name}: type ${f.type} is not in the protos`);
      field.type = resolved.path.join('.');
      if (resolved.node.values) {
        field.kind = 'enum';
        field.enumValues = resolved.node.values;
      } else {
        field.kind = 'message';
      }
    }
    fields.set(name, field);
  }
  const message = { name: fullName, fields };
  messages.set(fullName, message);
  return message;
}

function lookup(path: readonly string[]): DescriptorNode | undefined {
  if (!ROOT)
    throw new Error('the GKE descriptors are not loaded: await loadContainerDescriptors()');
  let node: DescriptorNode | undefined = ROOT;
  for (const part of path) node = node?.nested?.[part];
  return node;
}

/** A type name as protobuf resolves it: from the innermost scope outwards. */
function resolve(
  name: string,
  scope: readonly string[],
): { path: string[]; node: DescriptorNode } | undefined {
  const parts = name.replace(/^\./, '').split('.');
  const from = name.startsWith('.') ? 0 : scope.length;
  for (let i = from; i >= 0; i--) {
    const path = [...scope.slice(0, i), ...parts];
    const node = lookup(path);
    if (node && (node.fields || node.values)) return { path, node };
  }
  return undefined;
}

/**
 * The REST JSON of a message the library decoded (see the module comment).
 *
 * @example toRestJson(protoMessage('google.container.v1.Cluster'), decoded) // { name: 'payments', legacyAbac: {}, ... }
 */
export function toRestJson(
  type: ProtoMessage,
  decoded: Readonly<Record<string, unknown>>,
): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(decoded)) {
    // Keys that are no field: the oneof names the library adds.
    const field = type.fields.get(key);
    if (!field || value === null || value === undefined) continue;
    if (field.repeated) {
      if (Array.isArray(value) && value.length > 0) out[key] = value.map((v) => one(field, v));
    } else if (field.map) {
      const entries = Object.entries(value as Record<string, unknown>);
      if (entries.length > 0) {
        out[key] = Object.fromEntries(entries.map(([k, v]) => [k, one(field, v)]));
      }
    } else {
      const v = one(field, value);
      if (field.presence || field.kind === 'message' || !isDefault(field, v)) out[key] = v;
    }
  }
  return out;
}

function isDefault(field: ProtoField, value: unknown): boolean {
  if (value === false || value === 0 || value === '') return true;
  if (LONGS.has(field.type) && value === '0') return true;
  return field.kind === 'enum' && typeof value === 'string' && field.enumValues?.[value] === 0;
}

/** One value of a field (an element of a list, a value of a map). */
function one(field: ProtoField, value: unknown): unknown {
  if (field.kind === 'message') {
    if (!value || typeof value !== 'object') return value;
    return message(field.type, value as Record<string, unknown>);
  }
  if (field.kind === 'enum') return value;
  if (value instanceof Uint8Array) return Buffer.from(value).toString('base64');
  if (typeof value === 'number' && !Number.isFinite(value)) return String(value);
  return value;
}

const WRAPPERS = new Set(
  ['Double', 'Float', 'Int64', 'UInt64', 'Int32', 'UInt32', 'Bool', 'String', 'Bytes'].map(
    (t) => `google.protobuf.${t}Value`,
  ),
);

/** A message value: a well-known type's JSON form, else its fields. */
function message(type: string, value: Record<string, unknown>): unknown {
  if (type === 'google.protobuf.Timestamp') return timestamp(value);
  if (type === 'google.protobuf.Duration') return duration(value);
  if (WRAPPERS.has(type)) {
    const inner = protoMessage(type).fields.get('value');
    return inner ? one(inner, value.value) : value.value;
  }
  if (type === 'google.protobuf.FieldMask' && Array.isArray(value.paths)) {
    return value.paths.join(',');
  }
  return toRestJson(protoMessage(type), value);
}

/** Google's timestamps: RFC 3339 in UTC with 0, 3, 6 or 9 fraction digits. */
function timestamp(value: Record<string, unknown>): string {
  const seconds = Number(value.seconds ?? 0);
  const nanos = Number(value.nanos ?? 0);
  const base = new Date(seconds * 1000).toISOString().replace(/\.\d{3}Z$/, '');
  return `${base}${fraction(nanos)}Z`;
}

/** Google's durations: seconds with 0, 3, 6 or 9 fraction digits and an `s`. */
function duration(value: Record<string, unknown>): string {
  const seconds = Number(value.seconds ?? 0);
  const nanos = Number(value.nanos ?? 0);
  const sign = seconds < 0 || nanos < 0 ? '-' : '';
  return `${sign}${Math.abs(seconds)}${fraction(Math.abs(nanos))}s`;
}

function fraction(nanos: number): string {
  if (nanos === 0) return '';
  const digits = String(nanos).padStart(9, '0');
  if (nanos % 1_000_000 === 0) return `.${digits.slice(0, 3)}`;
  if (nanos % 1000 === 0) return `.${digits.slice(0, 6)}`;
  return `.${digits}`;
}
