// LossCore from Go through cgo: the tutorial's MAE example, a cross-entropy with its gradient,
// the message of a bad call, then 100 goroutines making 1,000 failing calls each, every call
// checked to get its own message. Build and run it against an installed LossCore
// (scripts/install.sh), from this folder:
//
//	export PKG_CONFIG_PATH=$PREFIX/lib/pkgconfig
//	go build -ldflags="-r $(pkg-config --variable=libdir losscore)" -o example && ./example
//
// (-r records the library's folder as the rpath). It prints what examples/expected_output.txt
// holds, then "100000 concurrent failing calls: 0 lost or wrong messages".
package main

/*
#cgo pkg-config: losscore
#include <losscore.h>
*/
import "C"

import (
	"fmt"
	"os"
	"strconv"
	"strings"
	"sync"
)

// LossError is a failed call: its status and the library's message.
type LossError struct {
	Status  C.losscore_status
	Message string
}

func (e *LossError) Error() string {
	return C.GoString(C.losscore_status_string(e.Status)) + ": " + e.Message
}

// check turns a failed call's own losscore_error record (its status and message) into an
// error. Never losscore_last_error() from Go: it is per OS thread, and Go may run a goroutine
// on another OS thread after any call (and other goroutines' calls on this one), so it could
// give another call's message, or "".
func check(status C.losscore_status, record *C.losscore_error) error {
	if status == C.LOSSCORE_OK {
		return nil
	}
	return &LossError{record.status, C.GoString(&record.message[0])}
}

// L1Loss is torch.nn.functional.l1_loss with reduction "mean" and its gradient.
func L1Loss(input, target []float64) (float64, []float64, error) {
	if len(input) != len(target) || len(input) == 0 {
		return 0, nil, fmt.Errorf("l1_loss: input and target must have the same nonzero length")
	}
	var out C.double
	var record C.losscore_error
	grad := make([]float64, len(input))
	status := C.losscore_l1_loss_f64((*C.double)(&input[0]), (*C.double)(&target[0]), nil,
		C.size_t(len(input)), C.LOSSCORE_REDUCTION_MEAN, &out, nil, (*C.double)(&grad[0]), &record)
	return float64(out), grad, check(status, &record)
}

// CrossEntropy is torch.nn.functional.cross_entropy of len(labels) rows of `classes` logits
// (reduction "mean", ignore_index -100) and its gradient with respect to the logits.
func CrossEntropy(logits []float64, labels []int64, classes int) (float64, []float64, error) {
	if len(labels) == 0 || len(logits) != len(labels)*classes {
		return 0, nil, fmt.Errorf("cross_entropy: len(logits) must be len(labels) * classes > 0")
	}
	var out C.double
	var record C.losscore_error
	grad := make([]float64, len(logits))
	status := C.losscore_cross_entropy_f64((*C.double)(&logits[0]), (*C.int64_t)(&labels[0]), nil,
		C.size_t(len(labels)), C.size_t(classes), 1, -100, C.LOSSCORE_REDUCTION_MEAN, 0,
		&out, nil, (*C.double)(&grad[0]), &record)
	return float64(out), grad, check(status, &record)
}

// g formats like C's %g (Go's %g prints the shortest round-trip digits instead).
func g(x float64) string { return strconv.FormatFloat(x, 'g', 6, 64) }

func main() {
	// The tutorial's MAE: the mean of |y_pred - y_true|, with its gradient in the same call.
	mae, maeGrad, err := L1Loss([]float64{0.000, 0.100, 0.200}, []float64{0.000, 0.200, 0.250})
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	fmt.Println("MAE error is:", strconv.FormatFloat(mae, 'g', -1, 64))
	fmt.Printf("d MAE / d y_pred = [%s, %s, %s]\n", g(maeGrad[0]), g(maeGrad[1]), g(maeGrad[2]))

	// Cross-entropy of two samples over three classes, with the gradient of the logits.
	logits := []float64{2.0, 1.0, 0.1,
		0.5, 2.5, 0.3}
	ce, ceGrad, err := CrossEntropy(logits, []int64{0, 1}, 3)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	fmt.Printf("cross_entropy = %.6f\n", ce)
	for i := 0; i < 2; i++ {
		fmt.Printf("d cross_entropy / d logits[%d] = [%.6f, %.6f, %.6f]\n", i, ceGrad[3*i], ceGrad[3*i+1], ceGrad[3*i+2])
	}

	// A bad call (class index 5 of 3 classes) returns its status and message.
	_, _, err = CrossEntropy(logits, []int64{0, 5}, 3)
	fmt.Println("bad call ->", err)
	if e, ok := err.(*LossError); !ok || e.Status != C.LOSSCORE_ERROR_INDEX {
		os.Exit(1)
	}

	// Goroutines failing concurrently, each call with its own class index 3 + k: every call's
	// record must hold its own status and a message naming its own index.
	const goroutines, calls = 100, 1000
	var wg sync.WaitGroup
	bad := make([]int, goroutines) // per goroutine: no shared counter
	for w := 0; w < goroutines; w++ {
		wg.Add(1)
		go func(w int) {
			defer wg.Done()
			for i := 0; i < calls; i++ {
				label := int64(3 + w*calls + i)
				_, _, err := CrossEntropy(logits, []int64{0, label}, 3)
				e, ok := err.(*LossError)
				want := fmt.Sprintf("target[1] = %d is out of range", label)
				if !ok || e.Status != C.LOSSCORE_ERROR_INDEX || !strings.Contains(e.Message, want) {
					bad[w]++
				}
			}
		}(w)
	}
	wg.Wait()
	failed := 0
	for _, n := range bad {
		failed += n
	}
	fmt.Printf("%d concurrent failing calls: %d lost or wrong messages\n", goroutines*calls, failed)
	if failed != 0 {
		os.Exit(1)
	}
}
