/* global window */
// Shared state: the logged-in user, server metadata (schema, vocabularies, permissions), packs and areas, and the screen size.
import { reactive } from 'vue';
import { api, session } from './api.js';

export const store = reactive({
  meta: null,
  packs: null,
  areas: null,
  isPhone: false,
});

const phoneQuery = window.matchMedia('(max-width: 768px)');
store.isPhone = phoneQuery.matches;
phoneQuery.addEventListener('change', (e) => { store.isPhone = e.matches; });

export async function loadMeta() {
  if (!store.meta) {
    const res = await window.fetch('/ui/meta.json');
    store.meta = await res.json();
  }
  return store.meta;
}

export async function loadPacks() {
  if (!store.packs) store.packs = await api('GET', '/packs');
  return store.packs;
}

export async function loadAreas() {
  if (!store.areas) store.areas = await api('GET', '/areas');
  return store.areas;
}

/** The loaded areas as cascader options: towns, each with its villages. */
export function areaOptions() {
  const towns = new Map();
  for (const a of store.areas ?? []) {
    if (!a.town) continue;
    const t = towns.get(a.town) ?? { value: a.town, label: a.town, children: [] };
    if (a.village) t.children.push({ value: a.village, label: a.village });
    towns.set(a.town, t);
  }
  return [...towns.values()].map((t) => (t.children.length ? t : { value: t.value, label: t.label }));
}

export function clearCaches() {
  store.packs = null;
  store.areas = null;
}

/** Whether the current user's role has a permission ('household.update', 'import', …). */
export function can(permission) {
  const role = session.user?.role;
  return !!role && !!store.meta?.roles?.[role]?.permissions.includes(permission);
}

export const today = () => new Date().toISOString().slice(0, 10);

/**
 * The date to screen a household of `county` on: today if a pack for the county is in force today, else the last day of
 * the newest pack's period (historical documents such as 2018–2020 packs), so the result is never empty by default.
 */
export function defaultDate(county) {
  const now = today();
  const packs = (store.packs ?? []).filter((p) => p.counties.includes(county) || p.counties.includes('*'));
  if (packs.length === 0 || packs.some((p) => p.period.from <= now && (p.period.to === null || now <= p.period.to))) return now;
  const ends = packs.map((p) => p.period.to).filter((d) => d && d < now).sort();
  return ends[ends.length - 1] ?? now;
}

/** Packs that serve a county on a date (what the server will use). */
export function packsFor(county, date) {
  return (store.packs ?? []).filter((p) => (p.counties.includes(county) || p.counties.includes('*')) && p.period.from <= date && (p.period.to === null || date <= p.period.to));
}
