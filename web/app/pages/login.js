// Login: username and password; the token is kept for the session's lifetime.
import { api, session, setToken } from '../lib/api.js';
import { navigate, route } from '../lib/router.js';
import { clearCaches } from '../lib/store.js';

export const LoginPage = {
  name: 'LoginPage',
  data: () => ({ form: { username: '', password: '' }, loading: false, error: '' }),
  methods: {
    async submit() {
      if (!this.form.username || !this.form.password) {
        this.error = '请填写用户名和密码';
        return;
      }
      this.loading = true;
      this.error = '';
      try {
        const res = await api('POST', '/auth/login', { body: this.form });
        setToken(res.token);
        clearCaches();
        session.user = res.user;
        const next = route.query.next;
        navigate(next && next.startsWith('/') && !next.startsWith('//') ? next : '/households', { replace: true });
      } catch (e) {
        this.error = e.message;
      } finally {
        this.loading = false;
      }
    },
  },
  template: `
    <div class="login-page">
      <div class="login-box">
        <div class="login-brand"><span class="brand-mark">明</span><div><div class="login-title">明白 · 政策明白系统</div><div class="muted">看得懂每户能享受的政策，讲得清为什么</div></div></div>
        <el-form label-position="top" class="login-form" @submit.prevent="submit">
          <el-form-item label="用户名"><el-input v-model="form.username" autocomplete="username" name="username" placeholder="请输入用户名" size="large" /></el-form-item>
          <el-form-item label="密码"><el-input v-model="form.password" type="password" show-password autocomplete="current-password" name="password" placeholder="请输入密码" size="large" /></el-form-item>
          <el-alert v-if="error" type="error" :title="error" :closable="false" show-icon class="block login-error" />
          <el-button type="primary" native-type="submit" size="large" :loading="loading" class="login-submit">登录</el-button>
        </el-form>
        <p class="muted small">首次启动时，演示账号与密码会打印在服务启动的输出中。</p>
      </div>
    </div>
  `,
};
