// swift-tools-version:6.1
//
// LossCore: loss functions and their gradients, exported as one C ABI.
// Keep unsafeFlags out of this manifest so other packages can depend on LossCore;
// the self-contained shared library is built by scripts/build.sh with the
// static-stdlib and export-list flags on the command line.
import PackageDescription

let package = Package(
    name: "LossCore",
    products: [
        .library(name: "losscore", type: .dynamic, targets: ["LossCore"]),
        .library(name: "LossCoreStatic", targets: ["LossCore"]),
    ],
    targets: [
        // Carries include/losscore.h into Swift; no logic lives here.
        .target(
            name: "CLossABI",
            path: ".",
            sources: ["Sources/CLossABI"],
            publicHeadersPath: "include"
        ),
        // Static inline hints Swift cannot spell (spin-wait pause, prefetch, 16-float loads and
        // stores, an optimizer barrier); header only, exports nothing.
        .target(name: "CLossHints"),
        .target(name: "LossCore", dependencies: ["CLossABI", "CLossHints"]),
        .testTarget(name: "LossCoreTests", dependencies: ["LossCore", "CLossABI"]),
    ]
)
