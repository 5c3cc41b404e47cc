//go:build !linux

package browser

import "os/exec"

// ownGroup leaves the command as it is: the process group is a Linux
// measure (stop kills the process tree it can find).
func ownGroup(*exec.Cmd) {}

// killGroup kills the tree below pid, as far as it can be found.
func killGroup(pid int) { killTree(pid) }
