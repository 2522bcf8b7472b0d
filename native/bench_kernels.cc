// Standalone timing of the native conv1d kernels (no Node): single thread, CPU time, GFLOP/s.
//   g++ -O3 -std=c++17 -pthread native/bench_kernels.cc -o /tmp/bench_kernels && /tmp/bench_kernels
#define BEAT_SSL_NO_NAPI
#include "src/conv1d.cc"

#include <cstdio>
#include <ctime>

static double cpuMs() {
  timespec t;
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t);
  return t.tv_sec * 1e3 + t.tv_nsec / 1e6;
}

int main() {
  __builtin_cpu_init();
  g_avx512 = __builtin_cpu_supports("avx512f");
  std::printf("avx512: %s\n", g_avx512 ? "yes" : "no (scalar fallback)");
  // {batch, width, cin, cout, kernel, stride}
  const int cases[][6] = {{32, 500, 64, 64, 7, 1}, {32, 500, 64, 128, 9, 2}, {32, 250, 128, 128, 5, 1}, {32, 1000, 12, 48, 15, 1}, {32, 63, 128, 192, 5, 1}};
  for (const auto& cs : cases) {
    Conv c{cs[0], cs[1], cs[2], cs[3], cs[4], cs[5], 0, 0};
    c.wout = (c.win + c.s - 1) / c.s;  // TF 'same'
    c.padLeft = std::max((c.wout - 1) * c.s + c.k - c.win, 0) / 2;
    std::vector<float> x((size_t)c.n * c.win * c.cin, 0.5f), w((size_t)c.k * c.cin * c.cout, 0.25f);
    std::vector<float> y((size_t)c.n * c.wout * c.cout), dx(x.size()), dw(w.size());
    const double gf = 2.0 * c.n * c.wout * c.k * c.cin * c.cout / 1e9;
    double best[3] = {1e9, 1e9, 1e9};
    for (int r = 0; r < 4; r++) {
      const double t0 = cpuMs();
      forward(c, x.data(), w.data(), y.data(), 1);
      const double t1 = cpuMs();
      backpropInput(c, y.data(), w.data(), dx.data(), 1);
      const double t2 = cpuMs();
      backpropFilter(c, x.data(), y.data(), dw.data(), 1);
      const double t3 = cpuMs();
      best[0] = std::min(best[0], t1 - t0);
      best[1] = std::min(best[1], t2 - t1);
      best[2] = std::min(best[2], t3 - t2);
    }
    std::printf("%d->%d k%d s%d w%d: fwd %.1f GFLOP/s, dX %.1f, dW %.1f (1 thread, CPU time)\n", c.cin, c.cout, c.k, c.s, c.win,
                gf / best[0] * 1e3, gf / best[1] * 1e3, gf / best[2] * 1e3);
  }
}
