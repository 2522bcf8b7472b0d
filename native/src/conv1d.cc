// beat-ssl optional native kernels: channels-last conv1d forward, input gradient and weight gradient
// as blocked GEMMs with an AVX-512 micro-kernel (runtime-detected; portable scalar fallback), over
// std::thread workers. Operates in place on Float32Arrays (in Node: views of the tfjs wasm heap), so
// the wasm backend keeps every other op. Exposed through Node-API (ABI-stable, no node-addon-api).
//
// Shapes (all row-major, float32):
//   x  [n, win, cin]   w [k, cin, cout]   y/dy [n, wout, cout]
//   y[b, o, co] = sum_{t, ci} x[b, o*s + t - padLeft, ci] * w[t, ci, co]   (0 outside [0, win))
#ifndef BEAT_SSL_NO_NAPI  // defined by native/bench_kernels.cc (standalone timing without Node)
#include <node_api.h>
#endif

#include <algorithm>
#include <cstdint>
#include <cstring>
#include <thread>
#include <vector>

#if defined(__x86_64__) || defined(_M_X64)
#include <immintrin.h>
#define BSSL_X86 1
#endif

namespace {

// ------------------------------------------------------------------------------------------ GEMM
// C[i, j] (+)= sum_p A[i*ars + p*acs] * B[p*ldb + j]   for i < M, j < N, p < K.

void gemm_scalar(int M, int N, int K, const float* A, long ars, long acs, const float* B, long ldb, float* C,
                 long ldc, bool acc) {
  for (int i = 0; i < M; i++) {
    float* c = C + i * ldc;
    if (!acc) std::fill(c, c + N, 0.0f);
    for (int p = 0; p < K; p++) {
      const float a = A[i * ars + p * acs];
      const float* b = B + p * ldb;
      for (int j = 0; j < N; j++) c[j] += a * b[j];
    }
  }
}

#ifdef BSSL_X86
constexpr int MR = 12;  // rows per micro-tile (24 accumulators + 2 B vectors + 1 broadcast)
constexpr int KC = 256; // depth block (B panel of KC x 32 floats = 32 KB stays in L1/L2)

// Accumulators are named variables (not arrays): GCC keeps arrays of __m512 in registers but also
// stores them to the stack on every iteration, which halved the throughput.
#define BSSL_R(X) X(0) X(1) X(2) X(3) X(4) X(5) X(6) X(7) X(8) X(9) X(10) X(11)

template <int R>
__attribute__((target("avx512f"))) inline void micro(int kc, const float* A, long ars, long acs, const float* B,
                                                     long ldb, float* C, long ldc, bool acc, __mmask16 m0,
                                                     __mmask16 m1) {
  const __m512 z = _mm512_setzero_ps();
#define BSSL_DECL(r) __m512 x##r = z, y##r = z;
  BSSL_R(BSSL_DECL)
#undef BSSL_DECL
  if (acc) {
#define BSSL_LOAD(r)                                          \
  if constexpr (R > r) {                                      \
    x##r = _mm512_maskz_loadu_ps(m0, C + r * ldc);            \
    if (m1) y##r = _mm512_maskz_loadu_ps(m1, C + r * ldc + 16); \
  }
    BSSL_R(BSSL_LOAD)
#undef BSSL_LOAD
  }
  if (m1) {
    for (int p = 0; p < kc; p++) {
      const __m512 b0 = _mm512_maskz_loadu_ps(m0, B + p * ldb);
      const __m512 b1 = _mm512_maskz_loadu_ps(m1, B + p * ldb + 16);
      const float* a = A + p * acs;
#define BSSL_FMA2(r)                                   \
  if constexpr (R > r) {                               \
    const __m512 av = _mm512_set1_ps(a[r * ars]);      \
    x##r = _mm512_fmadd_ps(av, b0, x##r);              \
    y##r = _mm512_fmadd_ps(av, b1, y##r);              \
  }
      BSSL_R(BSSL_FMA2)
#undef BSSL_FMA2
    }
  } else {
    for (int p = 0; p < kc; p++) {
      const __m512 b0 = _mm512_maskz_loadu_ps(m0, B + p * ldb);
      const float* a = A + p * acs;
#define BSSL_FMA1(r) \
  if constexpr (R > r) x##r = _mm512_fmadd_ps(_mm512_set1_ps(a[r * ars]), b0, x##r);
      BSSL_R(BSSL_FMA1)
#undef BSSL_FMA1
    }
  }
#define BSSL_STORE(r)                                          \
  if constexpr (R > r) {                                       \
    _mm512_mask_storeu_ps(C + r * ldc, m0, x##r);              \
    if (m1) _mm512_mask_storeu_ps(C + r * ldc + 16, m1, y##r); \
  }
  BSSL_R(BSSL_STORE)
#undef BSSL_STORE
}
#undef BSSL_R

__attribute__((target("avx512f"))) void gemm_avx512(int M, int N, int K, const float* A, long ars, long acs,
                                                    const float* B, long ldb, float* C, long ldc, bool acc) {
  for (int j0 = 0; j0 < N; j0 += 32) {
    const int nj = std::min(32, N - j0);
    const __mmask16 m0 = nj >= 16 ? (__mmask16)0xFFFF : (__mmask16)((1u << nj) - 1);
    const __mmask16 m1 = nj >= 32 ? (__mmask16)0xFFFF : (nj > 16 ? (__mmask16)((1u << (nj - 16)) - 1) : (__mmask16)0);
    for (int p0 = 0; p0 < K; p0 += KC) {
      const int kc = std::min(KC, K - p0);
      const bool a = acc || p0 > 0;
      const float* Ap = A + p0 * acs;
      const float* Bp = B + p0 * ldb + j0;
      int i = 0;
      for (; i + MR <= M; i += MR) micro<MR>(kc, Ap + i * ars, ars, acs, Bp, ldb, C + i * ldc + j0, ldc, a, m0, m1);
      const int rem = M - i;
      float* Ci = C + i * ldc + j0;
      const float* Ai = Ap + i * ars;
      switch (rem) {
        case 0: break;
        case 1: micro<1>(kc, Ai, ars, acs, Bp, ldb, Ci, ldc, a, m0, m1); break;
        case 2: micro<2>(kc, Ai, ars, acs, Bp, ldb, Ci, ldc, a, m0, m1); break;
        case 3: micro<3>(kc, Ai, ars, acs, Bp, ldb, Ci, ldc, a, m0, m1); break;
        case 4: micro<4>(kc, Ai, ars, acs, Bp, ldb, Ci, ldc, a, m0, m1); break;
        case 5: micro<5>(kc, Ai, ars, acs, Bp, ldb, Ci, ldc, a, m0, m1); break;
        case 6: micro<6>(kc, Ai, ars, acs, Bp, ldb, Ci, ldc, a, m0, m1); break;
        case 7: micro<7>(kc, Ai, ars, acs, Bp, ldb, Ci, ldc, a, m0, m1); break;
        case 8: micro<8>(kc, Ai, ars, acs, Bp, ldb, Ci, ldc, a, m0, m1); break;
        case 9: micro<9>(kc, Ai, ars, acs, Bp, ldb, Ci, ldc, a, m0, m1); break;
        case 10: micro<10>(kc, Ai, ars, acs, Bp, ldb, Ci, ldc, a, m0, m1); break;
        default: micro<11>(kc, Ai, ars, acs, Bp, ldb, Ci, ldc, a, m0, m1); break;
      }
    }
  }
}
#endif

bool g_avx512 = false;

void gemm(int M, int N, int K, const float* A, long ars, long acs, const float* B, long ldb, float* C, long ldc,
          bool acc) {
  if (M <= 0 || N <= 0) return;
  if (K <= 0) {
    if (!acc)
      for (int i = 0; i < M; i++) std::fill(C + i * ldc, C + i * ldc + N, 0.0f);
    return;
  }
#ifdef BSSL_X86
  if (g_avx512) return gemm_avx512(M, N, K, A, ars, acs, B, ldb, C, ldc, acc);
#endif
  gemm_scalar(M, N, K, A, ars, acs, B, ldb, C, ldc, acc);
}

// ------------------------------------------------------------------------------------------ conv
struct Conv {
  int n, win, cin, cout, k, s, padLeft, wout;
  // Padded input length: every window o*s + t (t < k) of every output o is inside.
  int lp() const { return (wout - 1) * s + k; }
};

// Copies x[b] into a zero-padded [lp, cin] buffer.
void padInput(const Conv& c, const float* xb, float* xp) {
  const int lp = c.lp();
  std::fill(xp, xp + (size_t)lp * c.cin, 0.0f);
  const int lo = std::max(0, -c.padLeft);                    // first input row used
  const int hi = std::min(c.win, lp - c.padLeft);             // one past the last
  if (hi > lo) std::memcpy(xp + (size_t)(lo + c.padLeft) * c.cin, xb + (size_t)lo * c.cin, sizeof(float) * (size_t)(hi - lo) * c.cin);
}

template <typename F>
void parallelFor(int count, int threads, F f) {
  threads = std::max(1, std::min(threads, count));
  if (threads == 1) {
    f(0, 0, count);
    return;
  }
  std::vector<std::thread> pool;
  for (int t = 0; t < threads; t++) {
    const int lo = (int)((long)count * t / threads), hi = (int)((long)count * (t + 1) / threads);
    pool.emplace_back([=] { f(t, lo, hi); });
  }
  for (auto& th : pool) th.join();
}

void forward(const Conv& c, const float* x, const float* w, float* y, int threads) {
  const int lp = c.lp();
  parallelFor(c.n, threads, [&](int, int lo, int hi) {
    std::vector<float> xp((size_t)lp * c.cin);
    for (int b = lo; b < hi; b++) {
      padInput(c, x + (size_t)b * c.win * c.cin, xp.data());
      gemm(c.wout, c.cout, c.k * c.cin, xp.data(), (long)c.s * c.cin, 1, w, c.cout, y + (size_t)b * c.wout * c.cout,
           c.cout, false);
    }
  });
}

void backpropInput(const Conv& c, const float* dy, const float* w, float* dx, int threads) {
  const int kc = c.k * c.cin;
  std::vector<float> wt((size_t)c.cout * kc);  // wt[co, t*cin + ci] = w[t, ci, co]
  for (int p = 0; p < kc; p++)
    for (int co = 0; co < c.cout; co++) wt[(size_t)co * kc + p] = w[(size_t)p * c.cout + co];
  const int lp = c.lp();
  parallelFor(c.n, threads, [&](int, int lo, int hi) {
    std::vector<float> z((size_t)c.wout * kc), dxp((size_t)lp * c.cin);
    for (int b = lo; b < hi; b++) {
      gemm(c.wout, kc, c.cout, dy + (size_t)b * c.wout * c.cout, c.cout, 1, wt.data(), kc, z.data(), kc, false);
      std::fill(dxp.begin(), dxp.end(), 0.0f);
      for (int o = 0; o < c.wout; o++) {  // col2im: dxp[o*s + t, ci] += z[o, t*cin + ci]
        float* d = dxp.data() + (size_t)o * c.s * c.cin;
        const float* zz = z.data() + (size_t)o * kc;
        for (int p = 0; p < kc; p++) d[p] += zz[p];
      }
      float* dxb = dx + (size_t)b * c.win * c.cin;
      std::fill(dxb, dxb + (size_t)c.win * c.cin, 0.0f);
      const int lo2 = std::max(0, -c.padLeft), hi2 = std::min(c.win, lp - c.padLeft);
      if (hi2 > lo2) std::memcpy(dxb + (size_t)lo2 * c.cin, dxp.data() + (size_t)(lo2 + c.padLeft) * c.cin, sizeof(float) * (size_t)(hi2 - lo2) * c.cin);
    }
  });
}

void backpropFilter(const Conv& c, const float* x, const float* dy, float* dw, int threads) {
  const int kc = c.k * c.cin;
  const int lp = c.lp();
  threads = std::max(1, std::min(threads, c.n));
  std::vector<std::vector<float>> part(threads);
  parallelFor(c.n, threads, [&](int t, int lo, int hi) {
    float* out = t == 0 ? dw : (part[t].assign((size_t)kc * c.cout, 0.0f), part[t].data());
    std::vector<float> xp((size_t)lp * c.cin);
    bool acc = false;
    for (int b = lo; b < hi; b++) {
      padInput(c, x + (size_t)b * c.win * c.cin, xp.data());
      // dw[t*cin + ci, co] += sum_o xp[(o*s + t)*cin + ci] * dy[b, o, co]
      gemm(kc, c.cout, c.wout, xp.data(), 1, (long)c.s * c.cin, dy + (size_t)b * c.wout * c.cout, c.cout, out, c.cout, acc);
      acc = true;
    }
    if (!acc) std::fill(out, out + (size_t)kc * c.cout, 0.0f);
  });
  for (int t = 1; t < threads; t++)
    for (size_t i = 0; i < (size_t)kc * c.cout; i++) dw[i] += part[t][i];
}

// ------------------------------------------------------------------------------- channel ops
// Channels-last [rows, c] tensors against per-channel vectors (the batch-norm shapes).

// out[j] = sum_i x[i, j], float partial sums over blocks of 64 rows flushed into double.
void colsum(const float* x, long rows, int c, float* out) {
  std::vector<double> acc(c, 0.0);
  std::vector<float> part(c);
  for (long i0 = 0; i0 < rows; i0 += 64) {
    const long i1 = std::min(rows, i0 + 64);
    std::fill(part.begin(), part.end(), 0.0f);
    float* p = part.data();
    for (long i = i0; i < i1; i++) {
      const float* xi = x + i * c;
      for (int j = 0; j < c; j++) p[j] += xi[j];
    }
    for (int j = 0; j < c; j++) acc[j] += p[j];
  }
  for (int j = 0; j < c; j++) out[j] = (float)acc[j];
}

// out[i, j] = (x[i, j] - m[j]) * s[j] + o[j]
void centerScale(const float* x, long rows, int c, const float* m, const float* s, const float* o, float* out) {
  for (long i = 0; i < rows; i++) {
    const float* xi = x + i * c;
    float* yi = out + i * c;
    for (int j = 0; j < c; j++) yi[j] = (xi[j] - m[j]) * s[j] + o[j];
  }
}

#ifdef BSSL_X86
__attribute__((target("avx512f"))) void colsum_avx512(const float* x, long rows, int c, float* out) { colsum(x, rows, c, out); }
__attribute__((target("avx512f"))) void centerScale_avx512(const float* x, long rows, int c, const float* m, const float* s,
                                                           const float* o, float* out) {
  centerScale(x, rows, c, m, s, o, out);
}
#endif

}  // namespace

#ifndef BEAT_SSL_NO_NAPI
namespace {
// ------------------------------------------------------------------------------------------ N-API
bool f32(napi_env env, napi_value v, float** data, size_t* len) {
  bool is = false;
  if (napi_is_typedarray(env, v, &is) != napi_ok || !is) return false;
  napi_typedarray_type type;
  void* ptr = nullptr;
  napi_value ab;
  size_t off = 0;
  if (napi_get_typedarray_info(env, v, &type, len, &ptr, &ab, &off) != napi_ok || type != napi_float32_array) return false;
  *data = static_cast<float*>(ptr);
  return true;
}

// (op, a, b, out, n, win, cin, cout, k, stride, padLeft, wout, threads)
napi_value Conv1d(napi_env env, napi_callback_info info) {
  size_t argc = 13;
  napi_value argv[13];
  napi_get_cb_info(env, info, &argc, argv, nullptr, nullptr);
  if (argc != 13) {
    napi_throw_error(env, nullptr, "conv1d: expected 13 arguments");
    return nullptr;
  }
  int32_t op, iv[9];
  napi_get_value_int32(env, argv[0], &op);
  for (int i = 0; i < 9; i++) {
    if (napi_get_value_int32(env, argv[4 + i], &iv[i]) != napi_ok) {
      napi_throw_type_error(env, nullptr, "conv1d: integer arguments expected");
      return nullptr;
    }
  }
  Conv c{iv[0], iv[1], iv[2], iv[3], iv[4], iv[5], iv[6], iv[7]};
  const int threads = iv[8];
  float *a, *b, *out;
  size_t la, lb, lo;
  if (!f32(env, argv[1], &a, &la) || !f32(env, argv[2], &b, &lb) || !f32(env, argv[3], &out, &lo)) {
    napi_throw_type_error(env, nullptr, "conv1d: Float32Array arguments expected");
    return nullptr;
  }
  const size_t nx = (size_t)c.n * c.win * c.cin, nw = (size_t)c.k * c.cin * c.cout, ny = (size_t)c.n * c.wout * c.cout;
  const bool shapesOk = c.n > 0 && c.win > 0 && c.cin > 0 && c.cout > 0 && c.k > 0 && c.s > 0 && c.wout > 0 &&
                        (long)(c.wout - 1) * c.s + c.k - c.padLeft >= 0;
  bool ok = shapesOk;
  if (ok && op == 0) ok = la >= nx && lb >= nw && lo >= ny;
  if (ok && op == 1) ok = la >= ny && lb >= nw && lo >= nx;
  if (ok && op == 2) ok = la >= nx && lb >= ny && lo >= nw;
  if (!ok || op < 0 || op > 2) {
    napi_throw_range_error(env, nullptr, "conv1d: array sizes do not match the shape arguments");
    return nullptr;
  }
  if (op == 0) forward(c, a, b, out, threads);
  else if (op == 1) backpropInput(c, a, b, out, threads);
  else backpropFilter(c, a, b, out, threads);
  return nullptr;
}

// channelOp(op, x, out, rows, c[, m, s, o]): op 0 = column sums (out [c]); op 1 = (x - m) * s + o.
napi_value ChannelOp(napi_env env, napi_callback_info info) {
  size_t argc = 8;
  napi_value argv[8];
  napi_get_cb_info(env, info, &argc, argv, nullptr, nullptr);
  int32_t op = -1, rows = 0, c = 0;
  if (argc < 5 || napi_get_value_int32(env, argv[0], &op) != napi_ok || napi_get_value_int32(env, argv[3], &rows) != napi_ok ||
      napi_get_value_int32(env, argv[4], &c) != napi_ok || rows <= 0 || c <= 0) {
    napi_throw_type_error(env, nullptr, "channelOp: (op, x, out, rows, c, ...) expected");
    return nullptr;
  }
  float *x, *out;
  size_t lx, lo;
  if (!f32(env, argv[1], &x, &lx) || !f32(env, argv[2], &out, &lo) || lx < (size_t)rows * c) {
    napi_throw_range_error(env, nullptr, "channelOp: bad x/out arrays");
    return nullptr;
  }
  if (op == 0) {
    if (lo < (size_t)c) {
      napi_throw_range_error(env, nullptr, "channelOp: out too small");
      return nullptr;
    }
#ifdef BSSL_X86
    if (g_avx512) colsum_avx512(x, rows, c, out);
    else
#endif
      colsum(x, rows, c, out);
    return nullptr;
  }
  float *m, *sc, *o;
  size_t lm, ls, lof;
  if (op != 1 || argc != 8 || lo < (size_t)rows * c || !f32(env, argv[5], &m, &lm) || !f32(env, argv[6], &sc, &ls) ||
      !f32(env, argv[7], &o, &lof) || lm < (size_t)c || ls < (size_t)c || lof < (size_t)c) {
    napi_throw_range_error(env, nullptr, "channelOp: bad arguments for op 1");
    return nullptr;
  }
#ifdef BSSL_X86
  if (g_avx512) centerScale_avx512(x, rows, c, m, sc, o, out);
  else
#endif
    centerScale(x, rows, c, m, sc, o, out);
  return nullptr;
}

napi_value Info(napi_env env, napi_callback_info) {
  napi_value obj, v;
  napi_create_object(env, &obj);
  napi_get_boolean(env, g_avx512, &v);
  napi_set_named_property(env, obj, "avx512", v);
  napi_create_uint32(env, std::max(1u, std::thread::hardware_concurrency()), &v);
  napi_set_named_property(env, obj, "hardwareThreads", v);
  napi_create_string_utf8(env, "2", NAPI_AUTO_LENGTH, &v);
  napi_set_named_property(env, obj, "abi", v);
  return obj;
}

napi_value Init(napi_env env, napi_value exports) {
#ifdef BSSL_X86
  __builtin_cpu_init();
  g_avx512 = __builtin_cpu_supports("avx512f");
#endif
  napi_value fn;
  napi_create_function(env, "conv1d", NAPI_AUTO_LENGTH, Conv1d, nullptr, &fn);
  napi_set_named_property(env, exports, "conv1d", fn);
  napi_create_function(env, "channelOp", NAPI_AUTO_LENGTH, ChannelOp, nullptr, &fn);
  napi_set_named_property(env, exports, "channelOp", fn);
  napi_create_function(env, "info", NAPI_AUTO_LENGTH, Info, nullptr, &fn);
  napi_set_named_property(env, exports, "info", fn);
  return exports;
}

}  // namespace

NAPI_MODULE(NODE_GYP_MODULE_NAME, Init)
#endif
