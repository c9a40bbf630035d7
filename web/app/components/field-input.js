// One input for one field of the household format (from lib/schema.js), bound to a path inside a target object.
import { getPath, setPath } from '../lib/schema.js';

const blank = (v) => v === '' || v === null || v === undefined;

export const FieldInput = {
  name: 'FieldInput',
  props: {
    field: { type: Object, required: true },
    target: { type: Object, required: true },
    /** Paths of presence objects (kept when emptied). */
    presence: { type: Array, default: () => [] },
    size: { type: String, default: 'default' },
  },
  computed: {
    value: {
      get() {
        const v = getPath(this.target, this.field.path);
        if (this.field.kind === 'presence') return v !== undefined && v !== null;
        return v;
      },
      set(v) {
        if (this.field.kind === 'presence') {
          setPath(this.target, this.field.path, v === true ? (getPath(this.target, this.field.path) ?? {}) : undefined, this.presence);
          return;
        }
        setPath(this.target, this.field.path, blank(v) ? undefined : v, this.presence);
      },
    },
    isList() {
      return this.field.kind === 'list';
    },
  },
  template: `
    <el-select v-if="field.kind === 'presence'" v-model="value" :size="size" class="field-input">
      <el-option label="是" :value="true" /><el-option label="否（不填）" :value="false" />
    </el-select>
    <el-select v-else-if="field.kind === 'bool'" v-model="value" clearable placeholder="未填写" :size="size" class="field-input">
      <el-option label="是" :value="true" /><el-option label="否" :value="false" />
    </el-select>
    <el-select v-else-if="field.kind === 'enum'" v-model="value" clearable filterable placeholder="未填写" :size="size" class="field-input">
      <el-option v-for="o in field.options" :key="o" :label="o" :value="o" />
    </el-select>
    <el-select v-else-if="isList" v-model="value" multiple filterable clearable :allow-create="!field.options" default-first-option
      :placeholder="field.options ? '可多选' : '输入后按回车添加'" :size="size" class="field-input">
      <el-option v-for="o in (field.options || [])" :key="o" :label="o" :value="o" />
    </el-select>
    <el-input-number v-else-if="field.kind === 'int' || field.kind === 'number'" v-model="value" :min="field.min" :max="field.max"
      :precision="field.kind === 'int' ? 0 : undefined" :step="1" controls-position="right" placeholder="未填写" :size="size" class="field-input" />
    <el-date-picker v-else-if="field.kind === 'date'" v-model="value" type="date" value-format="YYYY-MM-DD" placeholder="未填写"
      :size="size" class="field-input" />
    <el-input v-else v-model="value" clearable placeholder="未填写" :maxlength="field.max" :size="size" class="field-input" />
  `,
};
