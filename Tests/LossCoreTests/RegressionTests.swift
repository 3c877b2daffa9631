import Testing
@testable import LossCore
