// The paired helper's view: the ★ measures this household triggers (must be carried out) and the ● suggestions.
import { decisionKey, DecisionWhy, loadPolicy, whoOf } from './screening.js';

export const MeasuresView = {
  name: 'MeasuresView',
  components: { DecisionWhy },
  props: { result: { type: Object, required: true }, canFill: Boolean },
  emits: ['fill'],
  data: () => ({ details: {} }),
  computed: {
    measures() {
      return this.result.decisions.filter((d) => d.measure !== null);
    },
    required() {
      return this.measures.filter((d) => d.measure === 'required' && d.status === 'eligible');
    },
    optional() {
      return this.measures.filter((d) => d.measure === 'optional' && d.status === 'eligible');
    },
    pending() {
      return this.measures.filter((d) => d.status === 'undetermined');
    },
  },
  watch: {
    result: { immediate: true, handler() { this.loadDetails(); } },
  },
  methods: {
    key: decisionKey,
    who: whoOf,
    async loadDetails() {
      const ids = [...new Set(this.measures.map((d) => d.policy))].filter((id) => !this.details[id]);
      const loaded = await Promise.allSettled(ids.map((id) => loadPolicy(id)));
      loaded.forEach((r, i) => { if (r.status === 'fulfilled') this.details = { ...this.details, [ids[i]]: r.value.source }; });
    },
    extra(d) {
      const s = this.details[d.policy];
      return s ? [s.actor && `由${s.actor}落实`, s.frequency].filter(Boolean).join('，') : '';
    },
  },
  template: `
    <div class="measures">
      <el-empty v-if="!measures.length" :image-size="60"
        description="本户适用的政策包中没有帮扶措施（★ 必须落实、● 可选的帮扶事项来自帮扶明白纸政策包）" />
      <template v-else>
        <h3 class="section-title">★ 必须落实的帮扶措施 <el-tag type="danger" round>{{ required.length }} 项</el-tag></h3>
        <el-empty v-if="!required.length" :image-size="50" description="本户暂未触发必须落实的措施" />
        <el-collapse v-else>
          <el-collapse-item v-for="d in required" :key="key(d)" :name="key(d)" class="measure-item" data-measure="required">
            <template #title><div class="dec-title"><span class="star">★</span><span class="dec-name">{{ d.name }}</span><el-tag size="small" effect="plain">{{ who(d) }}</el-tag><span class="muted small">{{ extra(d) }}</span></div></template>
            <decision-why :decision="d" />
          </el-collapse-item>
        </el-collapse>
        <h3 class="section-title">● 可选的帮扶建议 <el-tag round>{{ optional.length }} 项</el-tag></h3>
        <el-empty v-if="!optional.length" :image-size="50" description="暂无可选建议" />
        <el-collapse v-else>
          <el-collapse-item v-for="d in optional" :key="key(d)" :name="key(d)" class="measure-item" data-measure="optional">
            <template #title><div class="dec-title"><span class="dot">●</span><span class="dec-name">{{ d.name }}</span><el-tag size="small" effect="plain">{{ who(d) }}</el-tag><span class="muted small">{{ extra(d) }}</span></div></template>
            <decision-why :decision="d" />
          </el-collapse-item>
        </el-collapse>
        <template v-if="pending.length">
          <h3 class="section-title">需补充信息才能确定的措施 <el-tag type="warning" round>{{ pending.length }} 项</el-tag></h3>
          <el-collapse>
            <el-collapse-item v-for="d in pending" :key="key(d)" :name="key(d)">
              <template #title><div class="dec-title"><span>{{ d.measure === 'required' ? '★' : '●' }}</span><span class="dec-name">{{ d.name }}</span><el-tag size="small" effect="plain">{{ who(d) }}</el-tag></div></template>
              <decision-why :decision="d" :can-fill="canFill" @fill="$emit('fill', $event)" />
            </el-collapse-item>
          </el-collapse>
        </template>
      </template>
    </div>
  `,
};
