// Editing a household: a form generated from the household format; saves with the version read, and on a conflict shows who changed what instead of overwriting.
import { ElMessage } from 'element-plus';
import { api } from '../lib/api.js';
import { ACTION, dateTime, valueText } from '../lib/format.js';
import { categoryFields, clone, describePath, diff, fieldsOf, householdFields, memberFields, presencePaths } from '../lib/schema.js';
import { store } from '../lib/store.js';
import { FieldInput } from './field-input.js';

const FieldGrid = {
  name: 'FieldGrid',
  components: { FieldInput },
  props: { fields: Array, target: Object, filter: String, presence: Array },
  computed: {
    groups() {
      const q = (this.filter ?? '').trim();
      const out = new Map();
      for (const f of this.fields) {
        if (q && !`${f.group}${f.label}${f.description}`.includes(q)) continue;
        out.set(f.group, [...(out.get(f.group) ?? []), f]);
      }
      return [...out.entries()].map(([group, fields]) => ({ group, fields }));
    },
  },
  template: `
    <div>
      <template v-for="g in groups" :key="g.group">
        <div v-if="g.group" class="grid-group">{{ g.group }}</div>
        <div class="field-grid">
          <el-form-item v-for="f in g.fields" :key="f.path" :label="f.label + (f.required ? ' *' : '')" :title="f.description" :data-field="f.path">
            <field-input :field="f" :target="target" :presence="presence" />
          </el-form-item>
        </div>
      </template>
    </div>
  `,
};

const ObjectList = {
  name: 'ObjectList',
  components: { FieldInput },
  props: { items: Array, fields: Array, addLabel: String, blank: Object },
  template: `
    <div class="object-list">
      <div v-for="(item, i) in items" :key="i" class="object-row">
        <div class="field-grid">
          <el-form-item v-for="f in fields" :key="f.path" :label="f.label + (f.required ? ' *' : '')" :title="f.description">
            <field-input :field="f" :target="item" size="small" />
          </el-form-item>
        </div>
        <el-button link type="danger" size="small" @click="items.splice(i, 1)">删除此项</el-button>
      </div>
      <el-button size="small" @click="items.push(JSON.parse(JSON.stringify(blank)))">{{ addLabel }}</el-button>
    </div>
  `,
};

export const HouseholdEditor = {
  name: 'HouseholdEditor',
  components: { FieldGrid, ObjectList },
  props: { record: { type: Object, required: true }, modelValue: Boolean },
  emits: ['update:modelValue', 'saved', 'reload'],
  data() {
    return {
      draft: null,
      version: 0,
      filter: '',
      openMembers: [],
      saving: false,
      problems: [],
      errorMessage: '',
      conflict: null,
    };
  },
  computed: {
    schema() {
      return store.meta.householdSchema;
    },
    hFields() {
      return householdFields(this.schema);
    },
    mFields() {
      return memberFields(this.schema);
    },
    cFields() {
      return categoryFields(this.schema);
    },
    aidFields() {
      return fieldsOf(this.schema.properties.temporaryAid.items);
    },
    hPresence() {
      return presencePaths(this.hFields);
    },
    mPresence() {
      return presencePaths(this.mFields);
    },
    myChanges() {
      return this.draft ? diff(this.record.household, this.draft).map((c) => ({ ...c, label: describePath(c.path, this.schema, this.draft) })) : [];
    },
    drawerSize() {
      return store.isPhone ? '100%' : '760px';
    },
  },
  watch: {
    modelValue: {
      immediate: true,
      handler(open) {
        if (open) this.start();
      },
    },
  },
  methods: {
    valueText,
    dateTime,
    action: (a) => ACTION[a],
    start() {
      this.draft = clone(this.record.household);
      this.draft.temporaryAid ??= [];
      this.version = this.record.version;
      this.problems = [];
      this.errorMessage = '';
      this.conflict = null;
      this.openMembers = [];
    },
    close() {
      this.$emit('update:modelValue', false);
    },
    addMember() {
      this.draft.members.push({ name: '', relation: '子女' });
      this.openMembers = [...this.openMembers, this.draft.members.length - 1];
    },
    removeMember(i) {
      this.draft.members.splice(i, 1);
      this.openMembers = [];
    },
    payload() {
      const h = clone(this.draft);
      if (h.temporaryAid?.length === 0 && this.record.household.temporaryAid === undefined) delete h.temporaryAid;
      return h;
    },
    async save() {
      this.saving = true;
      this.problems = [];
      this.errorMessage = '';
      try {
        const saved = await api('PUT', `/households/${encodeURIComponent(this.record.id)}`, { body: { version: this.version, household: this.payload() } });
        ElMessage.success(saved.changed ? `已保存，当前为第 ${saved.version} 版` : '没有改动，无需保存');
        this.$emit('saved', saved);
        this.close();
      } catch (e) {
        if (e.status === 409 && e.body.currentVersion !== undefined) await this.showConflict(e);
        else {
          this.errorMessage = e.message;
          this.problems = (e.body.problems ?? []).map((p) => ({ ...p, label: p.path ? describePath(p.path, this.schema, this.draft) : '' }));
        }
      } finally {
        this.saving = false;
      }
    },
    async showConflict(error) {
      let entries = [];
      try {
        const history = await api('GET', `/households/${encodeURIComponent(this.record.id)}/history`);
        entries = history.filter((h) => h.version > this.version).map((h) => ({
          ...h, changes: h.changes.map((c) => ({ ...c, label: describePath(c.path, this.schema, this.draft) })),
        }));
      } catch {
        // The message alone still says what happened.
      }
      this.conflict = { message: error.message, currentVersion: error.body.currentVersion, entries, mine: this.myChanges };
    },
    reload() {
      this.conflict = null;
      this.close();
      this.$emit('reload');
    },
  },
  template: `
    <el-drawer :model-value="modelValue" :size="drawerSize" :title="'编辑户信息 · ' + record.id + '（第 ' + version + ' 版）'" destroy-on-close
      @update:model-value="$emit('update:modelValue', $event)" class="editor-drawer">
      <el-form v-if="draft" label-position="top" class="editor" @submit.prevent>
        <el-alert v-if="errorMessage" type="error" show-icon :closable="false" :title="errorMessage" class="block editor-error">
          <ul v-if="problems.length" class="problems"><li v-for="p in problems" :key="p.path + p.message">{{ p.label || p.path }}：{{ p.message }}</li></ul>
        </el-alert>
        <el-input v-model="filter" clearable placeholder="查找信息项（如：医保、学段、残疾）" class="block" />
        <el-collapse :model-value="['h', 'c']">
          <el-collapse-item name="h" title="户信息">
            <field-grid :fields="hFields" :target="draft" :filter="filter" :presence="hPresence" />
          </el-collapse-item>
          <el-collapse-item name="c" :title="'户类别（' + draft.categories.length + '）'">
            <object-list :items="draft.categories" :fields="cFields" add-label="添加户类别" :blank="{ type: '脱贫户', from: '' }" />
          </el-collapse-item>
          <el-collapse-item name="a" :title="'已获得的临时救助（' + draft.temporaryAid.length + '）'">
            <object-list :items="draft.temporaryAid" :fields="aidFields" add-label="添加临时救助记录" :blank="{ receivedOn: '' }" />
          </el-collapse-item>
        </el-collapse>
        <h4 class="section-title">家庭成员（{{ draft.members.length }} 人）</h4>
        <el-collapse v-model="openMembers">
          <el-collapse-item v-for="(m, i) in draft.members" :key="i" :name="i">
            <template #title>{{ m.name || '（未填姓名）' }}&#12288;<span class="muted">{{ m.relation }}</span></template>
            <template v-if="openMembers.includes(i)">
              <field-grid :fields="mFields" :target="m" :filter="filter" :presence="mPresence" />
              <el-button type="danger" plain size="small" @click="removeMember(i)">删除该成员</el-button>
            </template>
          </el-collapse-item>
        </el-collapse>
        <el-button class="block" @click="addMember">添加成员</el-button>
        <div v-if="myChanges.length" class="changes">
          <div class="muted">本次改动 {{ myChanges.length }} 处：</div>
          <div v-for="c in myChanges" :key="c.path" class="change">{{ c.label }}：<s>{{ valueText(c.before) }}</s> → <b>{{ valueText(c.after) }}</b></div>
        </div>
      </el-form>
      <template #footer>
        <el-button @click="close">取消</el-button>
        <el-button type="primary" :loading="saving" :disabled="!myChanges.length" class="save-household" @click="save">保存</el-button>
      </template>
      <el-dialog :model-value="!!conflict" title="此户已被他人修改，您的修改没有保存" :width="drawerSize === '100%' ? '95%' : '600px'" append-to-body
        :close-on-click-modal="false" :show-close="false" class="conflict-dialog">
        <template v-if="conflict">
          <p>{{ conflict.message }}</p>
          <div v-for="e in conflict.entries" :key="e.version" class="conflict-entry">
            <div><b>{{ e.username || '系统' }}</b> 于 {{ dateTime(e.at) }} {{ action(e.action) }}（第 {{ e.version }} 版）：</div>
            <ul><li v-for="c in e.changes" :key="c.path">{{ c.label }}：<s>{{ valueText(c.before) }}</s> → <b>{{ valueText(c.after) }}</b></li></ul>
          </div>
          <div v-if="conflict.mine.length" class="conflict-mine">
            <div class="muted">您本次的修改（重新加载后请按需再改一次）：</div>
            <ul><li v-for="c in conflict.mine" :key="c.path">{{ c.label }}：{{ valueText(c.before) }} → {{ valueText(c.after) }}</li></ul>
          </div>
        </template>
        <template #footer>
          <el-button type="primary" class="conflict-reload" @click="reload">重新加载最新数据</el-button>
        </template>
      </el-dialog>
    </el-drawer>
  `,
};
