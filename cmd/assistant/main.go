// Command assistant runs Switchboard: a WhatsApp assistant on a checkpointed
// state graph.
//
//	assistant serve      start the HTTP server (webhooks, health, metrics)
//	assistant chat       talk to the assistant in the terminal
//	assistant threads    inspect stored conversations
//	assistant migrate    apply database migrations
//	assistant calendar   connect Google Calendar, print feed URLs
//	assistant healthcheck  probe the running server's /healthz
//	assistant console    manage the web console's accounts
//	assistant version    print the version
//
// Configuration comes from the environment and a .env file; see the README.
// The command is package internal/cli; a program of your own with your
// tools is switchboard.Main (see examples/custom-assistant).
package main

import (
	"os"

	"github.com/switchboardhq/switchboard/internal/cli"
)

func main() { os.Exit(cli.Main(cli.Options{})) }
