/* SPDX-License-Identifier: Apache-2.0 */
/* mamori: one binary, one subcommand group per module. */
#include <stdio.h>
#include <string.h>

#include "cli.h"

static const char main_help[] = "usage: mamori <command> [<args>]\n"
                                "\n"
                                "mamori keeps software on IoT devices trustworthy: SUIT manifests, TEEP,\n"
                                "RATS attestation and SCITT transparency, on one CBOR/COSE core.\n"
                                "\n"
                                "commands:\n"
                                "  cbor      show and check CBOR data items\n"
                                "  key       generate, show and convert keys (PEM, DER, COSE_Key)\n"
                                "  cose      sign, verify, MAC, encrypt, decrypt and show COSE messages\n"
                                "  suit      create, sign, show, verify and process SUIT manifests\n"
                                "  scitt     make SCITT signed statements, register them, verify and show\n"
                                "            receipts\n"
                                "  ts        run a SCITT Transparency Service\n"
                                "  eat       issue, show and verify attestation tokens and results\n"
                                "  verifier  run a RATS Verifier: appraise evidence, sign attestation\n"
                                "            results\n"
                                "\n"
                                "options:\n"
                                "  -h, --help     show this help\n"
                                "  --version      print the version\n"
                                "\n"
                                "Run 'mamori <command> --help' for a command's options.\n"
                                "Exit status: 0 success, 1 a check failed, 64-78 usage, input and I/O errors.\n";

static const cli_cmd commands[] = {
    {"cbor", cmd_cbor, "show and check CBOR data items"},
    {"key", cmd_key, "generate, show and convert keys"},
    {"cose", cmd_cose, "sign, verify, MAC, encrypt, decrypt and show COSE messages"},
    {"suit", cmd_suit, "create, sign, show, verify and process SUIT manifests"},
    {"scitt", cmd_scitt, "make SCITT signed statements, verify and show receipts"},
    {"ts", cmd_ts, "run a SCITT Transparency Service"},
    {"eat", cmd_eat, "issue, show and verify attestation tokens and results"},
    {"verifier", cmd_verifier, "run a RATS Verifier"},
};

int main(int argc, char **argv)
{
    if (argc >= 2 && strcmp(argv[1], "--version") == 0) {
        printf("mamori %s\n", MAMORI_VERSION);
        return CLI_OK;
    }
    return cli_dispatch("mamori", commands, sizeof commands / sizeof commands[0], argc, argv, main_help);
}
