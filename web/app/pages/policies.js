// The policy library: packs, their policies by area, and one policy's conditions, amounts and the quotes they rest on.
import { api } from '../lib/api.js';
import { amountText, KIND_NOTE } from '../lib/format.js';
import { navigate, route } from '../lib/router.js';
import { loadPacks, store } from '../lib/store.js';

export const PoliciesPage = {
  name: 'PoliciesPage',
  data: () => ({ error: null, search: '', category: '' }),
  computed: {
    packs() {
      return store.packs ?? [];
    },
    pack() {
      return this.packs.find((p) => p.id === route.query.pack) ?? this.packs[0] ?? null;
    },
    categories() {
      return [...new Set((this.pack?.policies ?? []).map((p) => p.category))];
    },
    policies() {
      const q = this.search.trim();
      return (this.pack?.policies ?? []).filter((p) => (!this.category || p.category === this.category) && (!q || p.name.includes(q) || p.id.includes(q)));
    },
  },
  async created() {
    try {
      await loadPacks();
    } catch (e) {
      this.error = e;
    }
  },
  methods: {
    choose(id) {
      this.category = '';
      navigate({ path: '/policies', query: { pack: id } }, { replace: true });
    },
    open(row) {
      navigate(`/policies/${encodeURIComponent(row.id)}`);
    },
    period: (p) => `${p.period.from} 至 ${p.period.to ?? '今'}`,
  },
  template: `
    <div class="page policies-page">
      <h2 class="page-title">政策库</h2>
      <el-alert v-if="error" type="error" :title="error.message" show-icon :closable="false" />
      <div class="pack-cards">
        <div v-for="p in packs" :key="p.id" class="pack-card" :class="{ active: pack && pack.id === p.id }" @click="choose(p.id)">
          <div class="pack-name">{{ p.name }}</div>
          <div class="muted small">《{{ p.source.title }}》{{ p.source.issuer }} {{ p.source.year }}</div>
          <div class="small">适用：{{ p.counties.join('、') }} · {{ period(p) }}</div>
          <div class="small">版本 {{ p.version }} · {{ p.policies.length }} 条政策</div>
        </div>
      </div>
      <el-card v-if="pack" shadow="never">
        <template #header>
          <div class="policies-head">
            <b>{{ pack.name }}</b>
            <el-select v-model="category" clearable placeholder="全部领域" class="policy-category"><el-option v-for="c in categories" :key="c" :label="c" :value="c" /></el-select>
            <el-input v-model="search" clearable placeholder="按名称查找" class="policy-search" />
          </div>
        </template>
        <el-table :data="policies" size="small" class="policy-table" @row-click="open">
          <el-table-column prop="category" label="领域" width="90" />
          <el-table-column prop="name" label="政策" min-width="220" />
          <el-table-column label="对象" width="80"><template #default="{ row }">{{ row.subject === 'member' ? '个人' : '全户' }}</template></el-table-column>
          <el-table-column label="" width="70"><template #default="{ row }"><el-button link type="primary" @click.stop="open(row)">详情</el-button></template></el-table-column>
        </el-table>
      </el-card>
    </div>
  `,
};

export const PolicyPage = {
  name: 'PolicyPage',
  data: () => ({ policy: null, error: null }),
  computed: {
    routeId() {
      return route.params.id;
    },
    pack() {
      return (store.packs ?? []).find((p) => p.id === this.policy?.pack);
    },
    s() {
      return this.policy?.source ?? {};
    },
  },
  watch: {
    routeId: { immediate: true, handler(id) { if (id) this.load(); } },
  },
  methods: {
    async load() {
      this.policy = null;
      this.error = null;
      try {
        await loadPacks();
        this.policy = await api('GET', `/policies/${encodeURIComponent(route.params.id)}`);
      } catch (e) {
        this.error = e;
      }
    },
    value(a) {
      const v = a.value;
      if (v.type === 'fixed') return amountText({ fen: v.fen, percent: null, unit: a.unit });
      if (v.type === 'percent') return `${v.percent}${a.unit}`;
      if (v.type === 'param') return `按参数“${v.name}”（随日期变化）${a.unit}`;
      if (v.type === 'formula') return `按公式计算 ${a.unit}`;
      return a.unit;
    },
    kind: (k) => KIND_NOTE[k] || '现金',
  },
  template: `
    <div class="page policy-page">
      <r-link :to="{ path: '/policies', query: policy ? { pack: policy.pack } : {} }" class="back">‹ 政策库</r-link>
      <el-alert v-if="error" type="error" :title="error.message" show-icon :closable="false" />
      <div v-else-if="!policy" v-loading="true" class="loading-block"></div>
      <template v-else>
        <h2 class="page-title">{{ s.name }} <el-tag>{{ s.category }}</el-tag> <el-tag v-if="s.measure" type="danger">{{ s.measure === 'required' ? '★ 必须落实' : '● 可选' }}</el-tag></h2>
        <el-descriptions :column="store.isPhone ? 1 : 2" border size="small" class="block">
          <el-descriptions-item label="政策包">{{ pack ? pack.name : policy.pack }}（{{ policy.packVersion }}）</el-descriptions-item>
          <el-descriptions-item label="所在章节">{{ s.section }}</el-descriptions-item>
          <el-descriptions-item label="适用对象">{{ s.audience }}</el-descriptions-item>
          <el-descriptions-item label="享受内容">{{ s.benefit }}</el-descriptions-item>
          <el-descriptions-item v-if="s.actor" label="落实人">{{ s.actor }}</el-descriptions-item>
          <el-descriptions-item v-if="s.frequency" label="频次">{{ s.frequency }}</el-descriptions-item>
          <el-descriptions-item label="主管部门">
            <div v-for="a in (s.authority || [])" :key="a.department">{{ a.department }}<span v-if="a.phone">&#12288;电话 <a :href="'tel:' + a.phone">{{ a.phone }}</a></span></div>
            <span v-if="!(s.authority || []).length">—</span>
          </el-descriptions-item>
          <el-descriptions-item label="依据">{{ (s.basis || []).join('；') || '—' }}</el-descriptions-item>
          <el-descriptions-item label="原文文件">{{ pack ? '《' + pack.source.title + '》' : '' }} {{ policy.citation.file }}</el-descriptions-item>
          <el-descriptions-item label="编号"><code>{{ policy.id }}</code></el-descriptions-item>
        </el-descriptions>
        <blockquote class="quote big">「{{ policy.citation.quote }}」</blockquote>
        <h3 class="section-title">条件（须全部符合）</h3>
        <div v-for="(c, i) in policy.conditions" :key="i" class="rule-card">
          <div><b>{{ i + 1 }}. {{ c.label }}</b></div>
          <code class="cel">{{ c.expression }}</code>
          <blockquote class="quote">「{{ c.citation.quote }}」</blockquote>
        </div>
        <h3 class="section-title">金额</h3>
        <el-empty v-if="!policy.amounts.length" :image-size="50" description="本政策不涉及金额" />
        <div v-for="(a, i) in policy.amounts" :key="'a' + i" class="rule-card">
          <div><b>{{ value(a) }}</b> <el-tag size="small" effect="plain">{{ kind(a.kind) }}</el-tag></div>
          <div v-if="a.when" class="small">适用于：<code class="cel">{{ a.when }}</code></div>
          <code v-if="a.value.type === 'formula'" class="cel">{{ a.value.expression }}</code>
          <blockquote class="quote">「{{ a.citation.quote }}」</blockquote>
        </div>
      </template>
    </div>
  `,
};
