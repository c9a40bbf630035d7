// A screening result: totals, entitlements grouped by policy area with "为什么", what is missing, what does not apply and why not.
import { api } from '../lib/api.js';
import { amountNote, amountText, documentTitle, STATUS, totalKey, unitTotal, yuan } from '../lib/format.js';
import { store } from '../lib/store.js';

const COUNTED = ['cash', 'waiver', 'premium'];
const policyCache = new Map();

export function loadPolicy(id) {
  if (!policyCache.has(id)) {
    const p = api('GET', `/policies/${encodeURIComponent(id)}`);
    p.catch(() => policyCache.delete(id));
    policyCache.set(id, p);
  }
  return policyCache.get(id);
}

export const decisionKey = (d) => `${d.policy}#${d.member ? d.member.index : 'h'}`;
export const whoOf = (d) => (d.member ? d.member.name : '全户');

const PERIODS = ['每年', '每学期', '每月', '一次性'];

/** Sums of counted amounts per period (each amount carries its period), like the server's totals, for the subtotal of one policy area. */
export function sumByPeriod(decisions) {
  const byPeriod = new Map();
  for (const d of decisions) {
    if (d.status !== 'eligible' || !d.amount || d.amount.fen === null || !COUNTED.includes(d.amount.kind)) continue;
    const period = d.amount.period;
    if (!period) continue;
    const t = byPeriod.get(period) ?? { period, fen: 0, count: 0 };
    t.fen += d.amount.fen;
    t.count += 1;
    byPeriod.set(period, t);
  }
  return PERIODS.flatMap((p) => byPeriod.get(p) ?? []);
}

export function groupByCategory(decisions) {
  const order = store.meta?.policyCategories ?? [];
  const groups = new Map();
  for (const d of decisions) groups.set(d.category, [...(groups.get(d.category) ?? []), d]);
  return [...groups.entries()]
    .sort(([a], [b]) => (order.indexOf(a) + 100) % 100 - (order.indexOf(b) + 100) % 100)
    .map(([category, items]) => ({ category, items, totals: sumByPeriod(items) }));
}

export const PolicySource = {
  name: 'PolicySource',
  props: { policyId: { type: String, required: true } },
  data: () => ({ policy: null, loading: false, error: '' }),
  computed: {
    docTitle() {
      return this.policy ? documentTitle(this.policy.citation.file, store.packs) : '';
    },
  },
  methods: {
    async load() {
      this.loading = true;
      try {
        this.policy = await loadPolicy(this.policyId);
      } catch (e) {
        this.error = e.message;
      } finally {
        this.loading = false;
      }
    },
  },
  template: `
    <div class="policy-source">
      <el-button v-if="!policy" link type="primary" :loading="loading" @click="load">查看原文出处、主管部门与咨询电话</el-button>
      <el-text v-if="error" type="danger">{{ error }}</el-text>
      <div v-if="policy" class="source-box">
        <div><span class="muted">文件：</span>{{ docTitle }}<span v-if="policy.source.section" class="muted">（{{ policy.source.section }}）</span></div>
        <div v-if="policy.source.basis && policy.source.basis.length"><span class="muted">依据：</span>{{ policy.source.basis.join('；') }}</div>
        <div v-if="policy.source.audience"><span class="muted">适用对象：</span>{{ policy.source.audience }}</div>
        <div v-for="a in (policy.source.authority || [])" :key="a.department">
          <span class="muted">主管部门：</span>{{ a.department }}<template v-if="a.phone">&#12288;<span class="muted">咨询电话：</span><a :href="'tel:' + a.phone">{{ a.phone }}</a></template>
        </div>
        <blockquote class="quote">「{{ policy.citation.quote }}」</blockquote>
        <r-link :to="'/policies/' + encodeURIComponent(policy.id)">在政策库中查看全部条件与金额</r-link>
      </div>
    </div>
  `,
};

export const DecisionWhy = {
  name: 'DecisionWhy',
  components: { PolicySource },
  props: { decision: { type: Object, required: true }, canFill: { type: Boolean, default: false } },
  emits: ['fill'],
  computed: {
    title() {
      return { eligible: '为什么可以享受', ineligible: '为什么不能享受', undetermined: '还缺什么信息' }[this.decision.status];
    },
    reasons() {
      const rank = (r) => (r.met === false ? 0 : r.met === null ? 1 : 2);
      return this.decision.status === 'eligible' ? this.decision.reasons : [...this.decision.reasons].sort((a, b) => rank(a) - rank(b));
    },
    kindNote() {
      return amountNote(this.decision.amount);
    },
  },
  methods: {
    amountText,
    doc(file) {
      return documentTitle(file, store.packs);
    },
    mark(r) {
      return r.met === true ? '✓' : r.met === false ? '✗' : '？';
    },
  },
  template: `
    <div class="why" :class="'why-' + decision.status">
      <div class="why-title">{{ title }}</div>
      <p class="benefit"><span class="muted">内容：</span>{{ decision.benefit }}</p>
      <div v-if="decision.missing.length" class="missing">
        <div class="muted">要判断这项政策，还需登记：</div>
        <ul>
          <li v-for="m in decision.missing" :key="m.fact">
            <b>{{ m.label }}</b>
            <el-button v-if="canFill" link type="primary" size="small" @click="$emit('fill', { decision, missing: m })">在“假如测算”中填写试算</el-button>
          </li>
        </ul>
      </div>
      <div class="muted">{{ decision.status === 'eligible' ? '符合以下全部条件：' : '逐条核对条件：' }}</div>
      <ul class="reasons">
        <li v-for="(r, i) in reasons" :key="i" :class="{ met: r.met === true, unmet: r.met === false, unknown: r.met === null }">
          <span class="mark">{{ mark(r) }}</span>
          <div class="reason-body">
            <div class="reason-label">{{ r.label }}<el-tag v-if="r.met === false" size="small" type="danger" effect="plain">不符合</el-tag><el-tag v-else-if="r.met === null" size="small" type="warning" effect="plain">无法判断</el-tag></div>
            <div v-if="r.facts.length" class="facts">
              <span v-for="f in r.facts" :key="f.fact" class="fact">{{ f.label }}：<b>{{ f.value === null ? '未登记' : f.value }}</b></span>
            </div>
            <blockquote class="quote">「{{ r.citation.quote }}」<span class="doc">—— {{ doc(r.citation.file) }}</span></blockquote>
          </div>
        </li>
      </ul>
      <div v-if="decision.amount" class="amount-why">
        <span class="muted">金额：</span><b>{{ amountText(decision.amount) }}</b><span v-if="kindNote" class="muted">（{{ kindNote }}）</span>
        <blockquote class="quote">「{{ decision.amount.citation.quote }}」<span class="doc">—— {{ doc(decision.amount.citation.file) }}</span></blockquote>
      </div>
      <policy-source :policy-id="decision.policy" />
    </div>
  `,
};

export const DecisionList = {
  name: 'DecisionList',
  components: { DecisionWhy },
  props: { decisions: { type: Array, required: true }, canFill: Boolean, showStatus: Boolean },
  emits: ['fill'],
  // Explanations are rendered only once opened: a household can have 150+ decisions, and phones are slow.
  data: () => ({ open: [] }),
  methods: {
    key: decisionKey,
    who: whoOf,
    amountText,
    status: (d) => STATUS[d.status],
    kindNote: (d) => amountNote(d.amount),
  },
  template: `
    <el-collapse v-model="open" class="decisions">
      <el-collapse-item v-for="d in decisions" :key="key(d)" :name="key(d)" class="decision-item" :data-policy="d.policy" :data-status="d.status">
        <template #title>
          <div class="dec-title">
            <span class="dec-name">{{ d.name }}</span>
            <el-tag size="small" effect="plain" class="dec-who">{{ who(d) }}</el-tag>
            <el-tag v-if="showStatus" size="small" :type="status(d).type">{{ status(d).label }}</el-tag>
            <span v-if="d.status === 'eligible' && d.amount" class="dec-amount">{{ amountText(d.amount) }}<small v-if="kindNote(d)">（{{ kindNote(d) }}）</small></span>
            <span v-if="d.status === 'undetermined'" class="dec-missing">缺 {{ d.missing.length }} 项信息</span>
          </div>
        </template>
        <decision-why v-if="open.includes(key(d))" :decision="d" :can-fill="canFill" @fill="$emit('fill', $event)" />
      </el-collapse-item>
    </el-collapse>
  `,
};

export const ScreeningView = {
  name: 'ScreeningView',
  components: { DecisionList },
  props: {
    result: { type: Object, required: true },
    totals: { type: Object, required: true },
    canFill: Boolean,
  },
  emits: ['fill'],
  data: () => ({ member: 'all', search: '', showIneligible: [] }),
  computed: {
    members() {
      const seen = new Map();
      for (const d of this.result.decisions) if (d.member) seen.set(d.member.index, d.member.name);
      return [...seen.entries()].sort(([a], [b]) => a - b).map(([index, name]) => ({ index, name }));
    },
    filtered() {
      const q = this.search.trim();
      return this.result.decisions.filter((d) => d.measure === null
        && (this.member === 'all' || (this.member === 'h' ? !d.member : d.member?.index === this.member))
        && (!q || d.name.includes(q) || d.category.includes(q) || d.benefit.includes(q)));
    },
    eligible() {
      return groupByCategory(this.filtered.filter((d) => d.status === 'eligible'));
    },
    eligibleCount() {
      return this.filtered.filter((d) => d.status === 'eligible').length;
    },
    undetermined() {
      return this.filtered.filter((d) => d.status === 'undetermined');
    },
    ineligible() {
      return this.filtered.filter((d) => d.status === 'ineligible');
    },
    memberTotals() {
      return this.totals.byMember.filter((m) => m.totals.length > 0);
    },
  },
  methods: { unitTotal, yuan, totalKey },
  template: `
    <div class="screening">
      <el-alert v-for="c in result.conflicts" :key="c.slot + (c.member ? c.member.index : '')" type="warning" :closable="false" show-icon class="block"
        :title="'政策冲突' + (c.member ? '（' + c.member.name + '）' : '') + '：' + c.message" />
      <div class="totals">
        <div class="totals-head">全户合计<span class="muted">（发到户或个人的现金、减免和代缴保费；每年、每学期、每月、一次性分别合计，不混加）</span></div>
        <div v-if="totals.household.length" class="total-cards">
          <div v-for="t in totals.household" :key="totalKey(t)" class="total-card">
            <div class="muted">{{ t.period || t.unit }}</div>
            <div class="total-amount">{{ yuan(t.fen) }}<small>元</small></div>
            <div class="muted">{{ t.count }} 项</div>
          </div>
        </div>
        <el-text v-else type="info">暂无可计入合计的金额</el-text>
        <div v-if="memberTotals.length" class="member-totals">
          <div v-for="m in memberTotals" :key="m.index" class="member-total">
            <span class="member-name">{{ m.name }}</span>
            <span class="member-sum">{{ m.totals.map(unitTotal).join('；') }}</span>
          </div>
        </div>
      </div>

      <div class="filters">
        <el-select v-model="member" class="filter-member" aria-label="按成员筛选">
          <el-option label="全部成员与全户" value="all" />
          <el-option label="全户（以户为单位）" value="h" />
          <el-option v-for="m in members" :key="m.index" :label="m.name" :value="m.index" />
        </el-select>
        <el-input v-model="search" clearable placeholder="按政策名称或领域筛选" class="filter-search" />
      </div>

      <h3 class="section-title">可享受的政策 <el-tag type="success" round>{{ eligibleCount }} 项</el-tag></h3>
      <el-empty v-if="!eligible.length" description="暂无可享受的政策" :image-size="60" />
      <div v-for="g in eligible" :key="g.category" class="cat-group" :data-category="g.category">
        <div class="cat-head">
          <span class="cat-name">{{ g.category }}</span>
          <span class="muted">{{ g.items.length }} 项</span>
          <span v-if="g.totals.length" class="cat-total">小计 {{ g.totals.map(unitTotal).join('；') }}</span>
        </div>
        <decision-list :decisions="g.items" :can-fill="canFill" @fill="$emit('fill', $event)" />
      </div>

      <h3 class="section-title">还缺信息才能判断 <el-tag type="warning" round>{{ undetermined.length }} 项</el-tag></h3>
      <p v-if="undetermined.length" class="muted hint">补登下列信息后重新测算，可能还有更多可享受的政策。点开查看还缺什么信息。</p>
      <decision-list v-if="undetermined.length" :decisions="undetermined" :can-fill="canFill" show-status @fill="$emit('fill', $event)" class="undetermined-list" />

      <el-collapse v-model="showIneligible" class="ineligible-wrap">
        <el-collapse-item name="x">
          <template #title><span class="section-title inline ineligible-toggle">不符合的政策 <el-tag type="info" round>{{ ineligible.length }} 项</el-tag><span class="muted">&#12288;点开查看为什么不</span></span></template>
          <decision-list v-if="showIneligible.length" :decisions="ineligible" :can-fill="canFill" @fill="$emit('fill', $event)" />
        </el-collapse-item>
      </el-collapse>
    </div>
  `,
};
