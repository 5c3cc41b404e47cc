//go:build !linux

package browser

import (
	"os/exec"
	"syscall"
)

// ownGroup leaves the command as it is: the process group is a Linux
// measure (stop kills the process tree it can find).
func ownGroup(*exec.Cmd) {}

// killGroup kills the tree below pid, as far as it can be found.
func killGroup(pid int) { killTree(pid) }

// killTree sends SIGKILL to pid's descendants and then to pid (as far as
// Descendants finds them: none without /proc).
func killTree(pid int) {
	for _, c := range Descendants(pid) {
		_ = syscall.Kill(c, syscall.SIGKILL)
	}
	_ = syscall.Kill(pid, syscall.SIGKILL)
}
