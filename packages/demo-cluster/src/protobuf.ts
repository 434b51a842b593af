import { ApiError, badRequest } from "./errors";

// kubectl's typed clients (auth can-i, create namespace/configmap/secret) send their request
// bodies as Kubernetes protobuf: "k8s\0" + runtime.Unknown{typeMeta, raw}. This decodes the few
// kinds those commands send, using the field numbers of k8s.io/api's generated.proto.

type FieldType = "string" | "bytes" | "int" | "bool" | "stringMap" | "bytesMap" | "quantityMap" | Message;
interface Field {
  name: string;
  type: FieldType;
  repeated?: boolean;
}
interface Message {
  [fieldNumber: number]: Field;
}

const OBJECT_META: Message = {
  1: { name: "name", type: "string" },
  2: { name: "generateName", type: "string" },
  3: { name: "namespace", type: "string" },
  6: { name: "resourceVersion", type: "string" },
  11: { name: "labels", type: "stringMap" },
  12: { name: "annotations", type: "stringMap" },
  14: { name: "finalizers", type: "string", repeated: true },
};

const FIELD_SELECTOR_REQ: Message = {
  1: { name: "key", type: "string" },
  2: { name: "operator", type: "string" },
  3: { name: "values", type: "string", repeated: true },
};

const RESOURCE_ATTRIBUTES: Message = {
  1: { name: "namespace", type: "string" },
  2: { name: "verb", type: "string" },
  3: { name: "group", type: "string" },
  4: { name: "version", type: "string" },
  5: { name: "resource", type: "string" },
  6: { name: "subresource", type: "string" },
  7: { name: "name", type: "string" },
  8: {
    name: "fieldSelector",
    type: {
      1: { name: "rawSelector", type: "string" },
      2: { name: "requirements", type: FIELD_SELECTOR_REQ, repeated: true },
    },
  },
  9: {
    name: "labelSelector",
    type: {
      1: { name: "rawSelector", type: "string" },
      2: { name: "requirements", type: FIELD_SELECTOR_REQ, repeated: true },
    },
  },
};

const QUANTITY_MAP: FieldType = "quantityMap";
const LABEL_SELECTOR: Message = {
  1: { name: "matchLabels", type: "stringMap" },
  2: {
    name: "matchExpressions",
    type: {
      1: { name: "key", type: "string" },
      2: { name: "operator", type: "string" },
      3: { name: "values", type: "string", repeated: true },
    },
    repeated: true,
  },
};
const CONTAINER: Message = {
  1: { name: "name", type: "string" },
  2: { name: "image", type: "string" },
  3: { name: "command", type: "string", repeated: true },
  4: { name: "args", type: "string", repeated: true },
  5: { name: "workingDir", type: "string" },
  6: {
    name: "ports",
    type: {
      1: { name: "name", type: "string" },
      2: { name: "hostPort", type: "int" },
      3: { name: "containerPort", type: "int" },
      4: { name: "protocol", type: "string" },
      5: { name: "hostIP", type: "string" },
    },
    repeated: true,
  },
  7: {
    name: "env",
    type: { 1: { name: "name", type: "string" }, 2: { name: "value", type: "string" } },
    repeated: true,
  },
  8: {
    name: "resources",
    type: { 1: { name: "limits", type: QUANTITY_MAP }, 2: { name: "requests", type: QUANTITY_MAP } },
  },
  13: { name: "terminationMessagePath", type: "string" },
  14: { name: "imagePullPolicy", type: "string" },
  16: { name: "stdin", type: "bool" },
  17: { name: "stdinOnce", type: "bool" },
  18: { name: "tty", type: "bool" },
  20: { name: "terminationMessagePolicy", type: "string" },
};
const POD_SPEC: Message = {
  2: { name: "containers", type: CONTAINER, repeated: true },
  3: { name: "restartPolicy", type: "string" },
  4: { name: "terminationGracePeriodSeconds", type: "int" },
  6: { name: "dnsPolicy", type: "string" },
  7: { name: "nodeSelector", type: "stringMap" },
  8: { name: "serviceAccountName", type: "string" },
  10: { name: "nodeName", type: "string" },
  19: { name: "schedulerName", type: "string" },
  20: { name: "initContainers", type: CONTAINER, repeated: true },
};

const KINDS: Record<string, Message> = {
  "v1/Pod": { 1: { name: "metadata", type: OBJECT_META }, 2: { name: "spec", type: POD_SPEC } },
  "apps/v1/Deployment": {
    1: { name: "metadata", type: OBJECT_META },
    2: {
      name: "spec",
      type: {
        1: { name: "replicas", type: "int" },
        2: { name: "selector", type: LABEL_SELECTOR },
        3: {
          name: "template",
          type: { 1: { name: "metadata", type: OBJECT_META }, 2: { name: "spec", type: POD_SPEC } },
        },
        4: { name: "strategy", type: { 1: { name: "type", type: "string" } } },
        5: { name: "minReadySeconds", type: "int" },
        6: { name: "revisionHistoryLimit", type: "int" },
        7: { name: "paused", type: "bool" },
        9: { name: "progressDeadlineSeconds", type: "int" },
      },
    },
  },
  "authorization.k8s.io/v1/SelfSubjectAccessReview": {
    1: { name: "metadata", type: OBJECT_META },
    2: {
      name: "spec",
      type: {
        1: { name: "resourceAttributes", type: RESOURCE_ATTRIBUTES },
        2: {
          name: "nonResourceAttributes",
          type: { 1: { name: "path", type: "string" }, 2: { name: "verb", type: "string" } },
        },
      },
    },
  },
  "authentication.k8s.io/v1/SelfSubjectReview": { 1: { name: "metadata", type: OBJECT_META } },
  "authorization.k8s.io/v1/SelfSubjectRulesReview": {
    1: { name: "metadata", type: OBJECT_META },
    2: { name: "spec", type: { 1: { name: "namespace", type: "string" } } },
  },
  "v1/Namespace": {
    1: { name: "metadata", type: OBJECT_META },
    2: { name: "spec", type: { 1: { name: "finalizers", type: "string", repeated: true } } },
  },
  "v1/ConfigMap": {
    1: { name: "metadata", type: OBJECT_META },
    2: { name: "data", type: "stringMap" },
    3: { name: "binaryData", type: "bytesMap" },
    4: { name: "immutable", type: "bool" },
  },
  "v1/Secret": {
    1: { name: "metadata", type: OBJECT_META },
    2: { name: "data", type: "bytesMap" },
    3: { name: "type", type: "string" },
    4: { name: "stringData", type: "stringMap" },
    5: { name: "immutable", type: "bool" },
  },
  "v1/ServiceAccount": {
    1: { name: "metadata", type: OBJECT_META },
    3: { name: "automountServiceAccountToken", type: "bool" },
  },
};

class Reader {
  pos = 0;
  constructor(readonly buf: Buffer) {}
  varint(): number {
    let result = 0;
    let shift = 0;
    for (;;) {
      if (this.pos >= this.buf.length) throw new Error("truncated varint");
      const b = this.buf[this.pos++];
      result += (b & 0x7f) * 2 ** shift;
      if ((b & 0x80) === 0) return result;
      shift += 7;
      if (shift > 63) throw new Error("varint too long");
    }
  }
  bytes(): Buffer {
    const len = this.varint();
    if (this.pos + len > this.buf.length) throw new Error("truncated field");
    const out = this.buf.subarray(this.pos, this.pos + len);
    this.pos += len;
    return out;
  }
  skip(wire: number): void {
    if (wire === 0) this.varint();
    else if (wire === 1) this.pos += 8;
    else if (wire === 2) this.bytes();
    else if (wire === 5) this.pos += 4;
    else throw new Error(`unsupported wire type ${wire}`);
  }
}

function decodeMessage(buf: Buffer, schema: Message): Record<string, unknown> {
  const r = new Reader(buf);
  const out: Record<string, unknown> = {};
  while (r.pos < buf.length) {
    const tag = r.varint();
    const no = Math.floor(tag / 8);
    const wire = tag & 7;
    const f = schema[no];
    if (!f) {
      r.skip(wire);
      continue;
    }
    let value: unknown;
    if (f.type === "int") value = r.varint();
    else if (f.type === "bool") value = r.varint() !== 0;
    else {
      const data = r.bytes();
      if (f.type === "string") value = data.toString("utf8");
      else if (f.type === "bytes") value = data.toString("base64");
      else if (f.type === "stringMap" || f.type === "bytesMap" || f.type === "quantityMap") {
        const valueType: FieldType =
          f.type === "stringMap"
            ? "string"
            : f.type === "bytesMap"
              ? "bytes"
              : { 1: { name: "string", type: "string" } };
        const entry = decodeMessage(data, { 1: { name: "k", type: "string" }, 2: { name: "v", type: valueType } });
        const map = (out[f.name] ??= {}) as Record<string, unknown>;
        const v = entry.v as unknown;
        map[String(entry.k ?? "")] =
          f.type === "quantityMap" ? ((v as { string?: string } | undefined)?.string ?? "0") : (v ?? "");
        continue;
      } else value = decodeMessage(data, f.type);
    }
    if (f.repeated) ((out[f.name] ??= []) as unknown[]).push(value);
    // gogo-protobuf writes unset strings and bools as "" and false; JSON leaves them out.
    else if (value !== "" && value !== false) out[f.name] = value;
  }
  return out;
}

/** Decodes a Kubernetes protobuf request body into its JSON form. */
export function decodeKubeProtobuf(body: Buffer): Record<string, unknown> {
  if (body.length < 4 || body.subarray(0, 4).toString("latin1") !== "k8s\0")
    throw badRequest("invalid protobuf body: missing k8s magic prefix");
  let unknown: Record<string, unknown>;
  try {
    unknown = decodeMessage(body.subarray(4), {
      1: { name: "typeMeta", type: { 1: { name: "apiVersion", type: "string" }, 2: { name: "kind", type: "string" } } },
      2: { name: "raw", type: "bytes" },
    });
  } catch (e) {
    throw badRequest(`invalid protobuf body: ${(e as Error).message}`);
  }
  const tm = (unknown.typeMeta ?? {}) as { apiVersion?: string; kind?: string };
  const schema = KINDS[`${tm.apiVersion}/${tm.kind}`];
  if (!schema) {
    throw new ApiError(
      415,
      "UnsupportedMediaType",
      `the body of the request was in an unknown format - accepted media types include: application/json, application/yaml (protobuf is only understood for ${Object.keys(
        KINDS,
      )
        .map((k) => k.split("/").pop())
        .join(", ")})`,
    );
  }
  try {
    const obj = decodeMessage(Buffer.from(String(unknown.raw ?? ""), "base64"), schema);
    return { apiVersion: tm.apiVersion, kind: tm.kind, ...obj, metadata: obj.metadata ?? {} };
  } catch (e) {
    throw badRequest(`invalid protobuf body: ${(e as Error).message}`);
  }
}
