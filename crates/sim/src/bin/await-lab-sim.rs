//! `await-lab-sim FILE|-`: runs a scenario to the end and prints the summary as JSON.
//! `--samples` and `--trace` add the windowed samples and the kept trace events.

use std::io::Read;
use std::process::ExitCode;

const USAGE: &str = "usage: await-lab-sim [--samples] [--trace] FILE|-
Runs an Await Lab scenario (JSON) to the end and prints its summary as JSON.
  FILE       a scenario file, or - to read standard input
  --samples  add the windowed samples (\"samples\")
  --trace    add the kept trace events (\"trace\")";

fn main() -> ExitCode {
    let mut samples = false;
    let mut trace = false;
    let mut input: Option<String> = None;
    for arg in std::env::args().skip(1) {
        match arg.as_str() {
            "--samples" => samples = true,
            "--trace" => trace = true,
            "-h" | "--help" => {
                println!("{USAGE}");
                return ExitCode::SUCCESS;
            }
            _ if input.is_none() && (arg == "-" || !arg.starts_with('-')) => input = Some(arg),
            _ => {
                eprintln!("await-lab-sim: unexpected argument {arg:?}\n{USAGE}");
                return ExitCode::from(2);
            }
        }
    }
    let Some(input) = input else {
        eprintln!("await-lab-sim: no scenario given\n{USAGE}");
        return ExitCode::from(2);
    };
    let text = if input == "-" {
        let mut text = String::new();
        if let Err(e) = std::io::stdin().read_to_string(&mut text) {
            eprintln!("await-lab-sim: cannot read standard input: {e}");
            return ExitCode::from(1);
        }
        text
    } else {
        match std::fs::read_to_string(&input) {
            Ok(text) => text,
            Err(e) => {
                eprintln!("await-lab-sim: cannot read {input}: {e}");
                return ExitCode::from(1);
            }
        }
    };
    let scenario = match sim::parse_scenario(&text) {
        Ok(s) => s,
        Err(errors) => {
            eprintln!(
                "await-lab-sim: {input}: {} problem(s) in the scenario:",
                errors.len()
            );
            for e in &errors {
                eprintln!("  {e}");
            }
            return ExitCode::from(1);
        }
    };
    let mut simulation = match sim::Sim::new(scenario) {
        Ok(s) => s,
        Err(errors) => {
            for e in &errors {
                eprintln!("  {e}");
            }
            return ExitCode::from(1);
        }
    };
    let summary = simulation.run_to_end();
    let mut out = match serde_json::to_value(&summary) {
        Ok(v) => v,
        Err(e) => {
            eprintln!("await-lab-sim: cannot encode the summary: {e}");
            return ExitCode::from(1);
        }
    };
    if let Some(map) = out.as_object_mut() {
        if samples {
            map.insert(
                "samples".to_owned(),
                serde_json::to_value(simulation.samples()).unwrap_or_default(),
            );
        }
        if trace {
            map.insert(
                "trace".to_owned(),
                serde_json::to_value(simulation.trace()).unwrap_or_default(),
            );
        }
    }
    match serde_json::to_string_pretty(&out) {
        Ok(text) => {
            println!("{text}");
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("await-lab-sim: cannot encode the summary: {e}");
            ExitCode::from(1)
        }
    }
}
