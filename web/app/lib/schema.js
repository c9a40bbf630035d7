// The household input format as form fields: each editable leaf of docs/household.schema.json with its Chinese label and kind.

/** Labels for the few properties the schema leaves without a description. */
export const KEY_LABELS = {
  area: '所在区划', county: '区县', town: '镇街', village: '村社', members: '家庭成员', name: '姓名', relation: '与户主关系', sex: '性别',
  school: '就学', stage: '学段', disability: '残疾', grade: '等级', employment: '就业', status: '状态', location: '务工地点',
  insurance: '参保', medicalTier: '医保档次', labourAbility: '劳动能力', housing: '住房', period: '收入周期', type: '类别',
  categories: '户类别', incomePerHead: '家庭人均收入', amountYuan: '金额（元）',
};

/** Labels by path (without indices) where the key alone is ambiguous. */
export const PATH_LABELS = {
  'housing.grade': '住房安全等级', 'disability.grade': '残疾等级', 'disability.kind': '残疾类别', 'employment.status': '就业状态',
  'employment.location': '务工地点', 'insurance.medicalTier': '医保档次', 'school.stage': '学段', 'incomePerHead.amountYuan': '人均收入（元）',
  'incomePerHead.period': '收入周期', 'categories.type': '户类别', 'categories.class': '类别细分',
};

const DATE_PATTERN = '^\\d{4}-\\d{2}-\\d{2}$';

/** A short label: a path's own label, the description up to its first "；", or the key's label. */
export function labelOf(key, node, path) {
  if (path && PATH_LABELS[path]) return PATH_LABELS[path];
  const d = node?.description;
  if (d && !/^金额（元）|^日期，格式/.test(d)) return d.split('；')[0];
  return KEY_LABELS[key] ?? d ?? key;
}

function kindOf(node) {
  if (!node) return null;
  if (node.anyOf) {
    const nonNull = node.anyOf.filter((n) => n.type !== 'null');
    if (nonNull.every((n) => n.enum)) return { kind: 'enum', options: nonNull.flatMap((n) => n.enum), nullable: nonNull.length < node.anyOf.length };
    const inner = kindOf(nonNull[0]);
    return inner ? { ...inner, nullable: nonNull.length < node.anyOf.length } : null;
  }
  if (node.enum) return { kind: 'enum', options: node.enum };
  switch (node.type) {
    case 'boolean': return { kind: 'bool' };
    case 'integer': return { kind: 'int', min: node.minimum, max: node.maximum };
    case 'number': return { kind: 'number', min: node.minimum };
    case 'string': return node.pattern === DATE_PATTERN ? { kind: 'date' } : { kind: 'string', max: node.maxLength };
    case 'array':
      if (node.items?.type === 'string' || node.items?.enum) return { kind: 'list', options: node.items.enum ?? null };
      return null;
    default: return null;
  }
}

/**
 * Editable leaves under an object schema: { path: 'school.stage', label, group, kind, options, required }.
 * Nested objects are flattened one level deep; an optional object whose description says "不填表示…" also gets a
 * 'presence' field (e.g. 是否精神病患者), since its mere presence is a fact.
 */
export function fieldsOf(objectNode, { skip = [] } = {}) {
  const out = [];
  const walk = (node, prefix, group) => {
    const required = new Set(node.required ?? []);
    for (const [key, child] of Object.entries(node.properties ?? {})) {
      const path = prefix ? `${prefix}.${key}` : key;
      if (skip.includes(path)) continue;
      if (child.type === 'object' && child.properties) {
        const childGroup = labelOf(key, child);
        if ((child.required ?? []).length === 0 && /不填表示/.test(child.description ?? '')) {
          out.push({ path, key, label: childGroup, group: group ?? '', kind: 'presence', description: child.description, required: false });
        }
        walk(child, path, childGroup);
        continue;
      }
      const kind = kindOf(child);
      if (!kind) continue;
      out.push({ path, key, label: labelOf(key, child, path), group: group ?? '', description: child.description ?? '', required: required.has(key), ...kind });
    }
  };
  walk(objectNode, '', null);
  return out;
}

export function householdFields(schema) {
  return fieldsOf(schema, { skip: ['id', 'members', 'categories', 'temporaryAid'] });
}

export function memberFields(schema) {
  return fieldsOf(schema.properties.members.items);
}

export function categoryFields(schema) {
  return fieldsOf(schema.properties.categories.items);
}

export function getPath(obj, path) {
  return path.split('.').reduce((o, k) => (o === undefined || o === null ? undefined : o[k]), obj);
}

/** Sets a dotted path, creating objects; undefined deletes it, and an emptied parent object goes too unless it is a presence object. */
export function setPath(obj, path, value, presencePaths = []) {
  const keys = path.split('.');
  const parents = [];
  let node = obj;
  for (const k of keys.slice(0, -1)) {
    if (value === undefined && (node[k] === undefined || node[k] === null)) return;
    if (node[k] === undefined || node[k] === null || typeof node[k] !== 'object') node[k] = {};
    parents.push([node, k]);
    node = node[k];
  }
  const last = keys[keys.length - 1];
  if (value === undefined) {
    delete node[last];
    for (let i = parents.length - 1; i >= 0; i--) {
      const [parent, k] = parents[i];
      const parentPath = keys.slice(0, i + 1).join('.');
      if (Object.keys(parent[k]).length === 0 && !presencePaths.includes(parentPath)) delete parent[k];
      else break;
    }
  } else {
    node[last] = value;
  }
}

/** "members[1].school.stage" → "成员2（王欣怡）· 就学 · 学段" using the schema's labels. */
export function describePath(path, schema, household) {
  const parts = path.match(/[^.[\]]+|\[\d+\]/g) ?? [path];
  const names = [];
  const out = [];
  let node = schema;
  for (let i = 0; i < parts.length; i++) {
    const part = parts[i];
    const index = /^\[(\d+)\]$/.exec(part);
    if (index) {
      const n = Number(index[1]);
      if (parts[i - 1] === 'members') {
        const memberName = household?.members?.[n]?.name;
        out[out.length - 1] = `成员${n + 1}${memberName ? `（${memberName}）` : ''}`;
      } else {
        out[out.length - 1] = `${out[out.length - 1]}第${n + 1}项`;
      }
      node = node?.items;
      continue;
    }
    const child = node?.properties?.[part] ?? (node?.anyOf ?? []).map((n) => n.properties?.[part]).find(Boolean);
    names.push(part);
    out.push(labelOf(part, child, names.slice(-2).join('.')));
    node = child;
  }
  return out.join(' · ');
}

/** Turns a fact's input hint ("members[].school.stage", "incomePerHead", "categories[].class（监测户）") into a form target. */
export function fieldForInput(input) {
  const clean = String(input ?? '').split(/[（ ]/)[0];
  if (clean.startsWith('members[].')) return { scope: 'member', path: clean.slice('members[].'.length) };
  if (clean.includes('[]') || clean === 'members') return { scope: 'json', path: clean };
  return { scope: 'household', path: clean };
}

/** Leaf differences between two JSON values: [{ path: 'members[1].school.stage', before, after }] (same shape as the server's history). */
export function diff(before, after, path = '') {
  if (JSON.stringify(before) === JSON.stringify(after)) return [];
  const isObj = (v) => !!v && typeof v === 'object' && !Array.isArray(v);
  if (Array.isArray(before) && Array.isArray(after)) {
    const out = [];
    for (let i = 0; i < Math.max(before.length, after.length); i++) out.push(...diff(before[i], after[i], `${path}[${i}]`));
    return out;
  }
  if (isObj(before) && isObj(after)) {
    const keys = [...new Set([...Object.keys(before), ...Object.keys(after)])];
    return keys.flatMap((k) => diff(before[k], after[k], path ? `${path}.${k}` : k));
  }
  return [{ path, before: before ?? null, after: after ?? null }];
}

export const clone = (v) => (v === undefined ? undefined : JSON.parse(JSON.stringify(v)));

/** Paths of presence objects in the member and household fields (kept when their last field is cleared). */
export function presencePaths(fields) {
  return fields.filter((f) => f.kind === 'presence').map((f) => f.path);
}
