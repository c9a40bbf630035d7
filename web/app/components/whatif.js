// "假如": change facts or the date of a stored household and re-screen it; nothing is saved.
import { api } from '../lib/api.js';
import { amountText, STATUS, totalKey, valueText, yuan } from '../lib/format.js';
import { clone, describePath, diff, getPath, householdFields, memberFields, presencePaths, setPath } from '../lib/schema.js';
import { store } from '../lib/store.js';
import { FieldInput } from './field-input.js';
import { decisionKey, ScreeningView, whoOf } from './screening.js';

export const WhatIfPanel = {
  name: 'WhatIfPanel',
  components: { FieldInput, ScreeningView },
  props: { record: { type: Object, required: true }, baseDate: { type: String, required: true } },
  data() {
    return {
      draft: clone(this.record.household),
      date: this.baseDate,
      target: 'h',
      fieldPath: '',
      jsonMode: false,
      jsonText: '',
      jsonError: '',
      running: false,
      error: null,
      base: null,
      after: null,
      showFull: [],
    };
  },
  computed: {
    schema() {
      return store.meta.householdSchema;
    },
    fields() {
      return this.target === 'h' ? householdFields(this.schema) : memberFields(this.schema);
    },
    field() {
      return this.fields.find((f) => f.path === this.fieldPath) ?? null;
    },
    presence() {
      return presencePaths(this.fields);
    },
    targetObject() {
      return this.target === 'h' ? this.draft : this.draft.members[this.target];
    },
    changes() {
      return diff(this.record.household, this.draft).map((c) => ({ ...c, label: describePath(c.path, this.schema, this.draft) }));
    },
    comparison() {
      if (!this.base || !this.after) return [];
      const before = new Map(this.base.result.decisions.map((d) => [decisionKey(d), d]));
      const rows = [];
      for (const d of this.after.result.decisions) {
        const b = before.get(decisionKey(d));
        before.delete(decisionKey(d));
        if (b && b.status === d.status && amountText(b.amount) === amountText(d.amount)) continue;
        rows.push({ key: decisionKey(d), name: d.name, who: whoOf(d), before: b ? this.outcome(b) : '（不适用）', after: this.outcome(d), better: this.rank(d) > (b ? this.rank(b) : -1) });
      }
      for (const b of before.values()) rows.push({ key: decisionKey(b), name: b.name, who: whoOf(b), before: this.outcome(b), after: '（不适用）', better: false });
      return rows;
    },
    totalsComparison() {
      if (!this.base || !this.after) return [];
      const units = [...new Set([...this.base.totals.household, ...this.after.totals.household].map(totalKey))];
      const find = (list, unit) => list.find((t) => totalKey(t) === unit);
      return units.map((unit) => ({
        unit,
        before: find(this.base.totals.household, unit) ? `${yuan(find(this.base.totals.household, unit).fen)} 元` : '—',
        after: find(this.after.totals.household, unit) ? `${yuan(find(this.after.totals.household, unit).fen)} 元` : '—',
      }));
    },
  },
  watch: {
    target() {
      if (!this.fields.some((f) => f.path === this.fieldPath)) this.fieldPath = '';
    },
  },
  methods: {
    valueText,
    outcome(d) {
      return d.status === 'eligible' && d.amount ? `${STATUS.eligible.label} ${amountText(d.amount)}` : STATUS[d.status].label;
    },
    rank(d) {
      return { ineligible: 0, undetermined: 1, eligible: 2 }[d.status];
    },
    fieldLabel(f) {
      return f.group && !f.label.includes(f.group) ? `${f.group} · ${f.label}` : f.label;
    },
    /** Called by the household page when the user clicks "在假如测算中填写" on a missing fact. */
    prefill({ scope, path, memberIndex }) {
      if (scope === 'json') {
        this.openJson();
        return;
      }
      this.jsonMode = false;
      this.target = scope === 'member' ? memberIndex ?? 0 : 'h';
      this.$nextTick(() => {
        const exact = this.fields.find((f) => f.path === path);
        const near = exact ?? this.fields.find((f) => f.path.startsWith(`${path}.`) || path.startsWith(`${f.path}.`));
        this.fieldPath = near ? near.path : '';
        if (!near) this.openJson();
      });
    },
    undo(change) {
      const m = /^members\[(\d+)\]\.(.+)$/.exec(change.path);
      if (m && this.record.household.members[Number(m[1])] && this.draft.members[Number(m[1])]) {
        const original = getPath(this.record.household.members[Number(m[1])], m[2]);
        setPath(this.draft.members[Number(m[1])], m[2], clone(original), presencePaths(memberFields(this.schema)));
      } else if (!change.path.includes('[')) {
        setPath(this.draft, change.path, clone(getPath(this.record.household, change.path)), presencePaths(householdFields(this.schema)));
      } else {
        this.reset();
      }
    },
    reset() {
      this.draft = clone(this.record.household);
      this.after = null;
      this.base = null;
      this.date = this.baseDate;
    },
    openJson() {
      this.jsonText = JSON.stringify(this.draft, null, 2);
      this.jsonError = '';
      this.jsonMode = true;
    },
    applyJson() {
      try {
        this.draft = JSON.parse(this.jsonText);
        this.jsonError = '';
        this.jsonMode = false;
      } catch (e) {
        this.jsonError = `JSON 格式有误：${e.message}`;
      }
    },
    async run() {
      if (this.jsonMode) this.applyJson();
      if (this.jsonError) return;
      this.running = true;
      this.error = null;
      try {
        const url = `/households/${encodeURIComponent(this.record.id)}/preview`;
        const [base, after] = await Promise.all([
          api('POST', url, { body: { date: this.date } }),
          api('POST', url, { body: { date: this.date, household: this.draft } }),
        ]);
        this.base = base;
        this.after = after;
      } catch (e) {
        this.error = e;
        this.after = null;
      } finally {
        this.running = false;
      }
    },
  },
  template: `
    <div class="whatif">
      <el-alert type="info" :closable="false" show-icon class="block"
        title="假如测算：改动下面的信息或测算日期后试算，看政策结果如何变化。这里的改动不会保存到户信息。" />
      <el-form label-position="top" class="whatif-form" @submit.prevent>
        <div class="whatif-row">
          <el-form-item label="测算日期">
            <el-date-picker v-model="date" type="date" value-format="YYYY-MM-DD" :clearable="false" class="whatif-date" />
          </el-form-item>
          <el-form-item label="改动对象">
            <el-select v-model="target" class="whatif-target">
              <el-option label="全户" value="h" />
              <el-option v-for="(m, i) in draft.members" :key="i" :label="m.name + '（' + m.relation + '）'" :value="i" />
            </el-select>
          </el-form-item>
          <el-form-item label="信息项" class="grow">
            <el-select v-model="fieldPath" filterable clearable placeholder="选择或搜索要改动的信息" class="whatif-field">
              <el-option v-for="f in fields" :key="f.path" :label="fieldLabel(f)" :value="f.path" />
            </el-select>
          </el-form-item>
          <el-form-item v-if="field && targetObject" :label="'假如 ' + field.label" class="grow whatif-value">
            <field-input :field="field" :target="targetObject" :presence="presence" />
          </el-form-item>
        </div>
      </el-form>
      <div v-if="changes.length" class="changes">
        <div class="muted">已改动 {{ changes.length }} 处：</div>
        <div v-for="c in changes" :key="c.path" class="change">
          <span>{{ c.label }}：</span><s>{{ valueText(c.before) }}</s> → <b>{{ valueText(c.after) }}</b>
          <el-button link size="small" @click="undo(c)">撤销</el-button>
        </div>
      </div>
      <div class="actions">
        <el-button type="primary" :loading="running" class="run-whatif" @click="run">试算（不保存）</el-button>
        <el-button @click="reset">全部还原</el-button>
        <el-button link @click="jsonMode ? (jsonMode = false) : openJson()">{{ jsonMode ? '返回表单' : '直接编辑户数据 JSON' }}</el-button>
      </div>
      <div v-if="jsonMode" class="json-edit">
        <el-input v-model="jsonText" type="textarea" :rows="16" class="mono" />
        <el-text v-if="jsonError" type="danger">{{ jsonError }}</el-text>
        <div class="actions"><el-button size="small" @click="applyJson">应用 JSON</el-button></div>
      </div>
      <el-alert v-if="error" type="error" :closable="false" show-icon class="block" :title="error.message">
        <ul v-if="error.body.problems" class="problems"><li v-for="p in error.body.problems" :key="p.path">{{ p.path }}：{{ p.message }}</li></ul>
      </el-alert>
      <div v-if="after" class="whatif-result">
        <h3 class="section-title">试算结果（{{ date }}）</h3>
        <el-table v-if="totalsComparison.length" :data="totalsComparison" size="small" class="block">
          <el-table-column prop="unit" label="合计" min-width="80" />
          <el-table-column prop="before" label="现在" min-width="110" />
          <el-table-column prop="after" label="假如后" min-width="110" />
        </el-table>
        <el-empty v-if="!comparison.length" :image-size="60" description="这些改动不改变任何政策的结果" />
        <el-table v-else :data="comparison" size="small" class="whatif-diff" row-key="key">
          <el-table-column prop="name" label="政策" min-width="150" />
          <el-table-column prop="who" label="对象" width="80" />
          <el-table-column prop="before" label="现在" min-width="110" />
          <el-table-column label="假如后" min-width="120">
            <template #default="{ row }"><span :class="row.better ? 'better' : 'worse'">{{ row.after }}</span></template>
          </el-table-column>
        </el-table>
        <el-collapse v-model="showFull" class="block">
          <el-collapse-item name="full" title="查看假如后的完整测算结果">
            <screening-view v-if="showFull.length" :result="after.result" :totals="after.totals" />
          </el-collapse-item>
        </el-collapse>
      </div>
    </div>
  `,
};
