/* rekam-afis: command entry points. Each returns the process exit status:
 * 0 success, 1 failure of the work itself, 2 usage error. */
#ifndef REKAM_AFIS_CLI_H
#define REKAM_AFIS_CLI_H

int afis_cli_extract (int argc, char **argv);
int afis_cli_match (int argc, char **argv);
int afis_cli_score (int argc, char **argv);
int afis_cli_identify (int argc, char **argv);
int afis_cli_eval (int argc, char **argv);
int afis_cli_synth (int argc, char **argv);
int afis_cli_bench (int argc, char **argv);
/* "iris <command> ..." (argv[0] is "iris") */
int afis_cli_iris (int argc, char **argv);

#endif
