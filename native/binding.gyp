{
  "targets": [
    {
      "target_name": "beat_ssl_native",
      "sources": ["src/conv1d.cc"],
      "cflags_cc": ["-O3", "-std=c++17", "-pthread", "-fno-math-errno"],
      "cflags_cc!": ["-fno-exceptions"],
      "ldflags": ["-pthread"],
      "xcode_settings": { "OTHER_CPLUSPLUSFLAGS": ["-O3", "-std=c++17"] },
      "msvs_settings": { "VCCLCompilerTool": { "AdditionalOptions": ["/O2"] } }
    }
  ]
}
