# Bash completion for stdp-cli. Self-contained (no bash-completion helpers needed); installed to
# share/bash-completion/completions/stdp-cli. tests/test_cli_docs.sh checks that every subcommand
# and option of `stdp-cli --help` is here.

_stdp_cli() {
    local cur=${COMP_WORDS[COMP_CWORD]}
    local prev=${COMP_WORDS[COMP_CWORD - 1]}
    local commands="train eval fields import baseline export report sweep collect presets"
    local cmd="" i
    for ((i = 1; i < COMP_CWORD; i++)); do
        case ${COMP_WORDS[i]} in
            -*) ;;
            *) cmd=${COMP_WORDS[i]}; break ;;
        esac
    done
    if [[ -z $cmd ]]; then
        mapfile -t COMPREPLY < <(compgen -W "$commands --help --version" -- "$cur")
        return
    fi
    case $prev in
        --preset | --mnist-preset | --natural-preset)
            mapfile -t COMPREPLY < <(compgen -W "$(${COMP_WORDS[0]} presets 2>/dev/null | cut -d' ' -f1)" -- "$cur")
            return ;;
        --data | --eval-data | --train-data)
            compopt -o nospace 2>/dev/null
            mapfile -t COMPREPLY < <(compgen -W "builtin:mnist builtin:natural builtin:natural-eval idx: images:" -- "$cur")
            return ;;
        --set)
            compopt -o nospace 2>/dev/null
            mapfile -t COMPREPLY < <(compgen -W "$(${COMP_WORDS[0]} presets paper-mnist 2>/dev/null | tail -n +3 | cut -d' ' -f1 | sed 's/$/=/')" -- "$cur")
            return ;;
        --method)
            mapfile -t COMPREPLY < <(compgen -W "kmeans sparse-coding pca" -- "$cur")
            return ;;
        --contrast)
            mapfile -t COMPREPLY < <(compgen -W "shared per-neuron" -- "$cur")
            return ;;
        --model | --out | --neurons | --natural | --authors)
            mapfile -t COMPREPLY < <(compgen -d -- "$cur")
            return ;;
        --config | --weights | --filters | --nir | --log | --csv | --jsonl | --slurm)
            mapfile -t COMPREPLY < <(compgen -f -- "$cur")
            return ;;
        --images | --offset | --seed | --eval-images | --eval-offset | --log-every | --threads | \
            --units | --active | --train-images | --train-offset | --scale | --workers | --seeds | \
            --seed-count | --jobs)
            return ;;
    esac
    local opts=""
    case $cmd in
        train) opts="--data --images --offset --preset --config --set --seed --out --eval-data
                     --eval-images --eval-offset --json --log --log-every --skip-existing --threads" ;;
        eval) opts="--model --data --images --offset --seed --json --threads" ;;
        fields) opts="--model --list --json --threads" ;;
        import) opts="--weights --preset --set --out" ;;
        baseline) opts="--method --units --active --data --images --offset --train-data
                        --train-images --train-offset --preset --set --seed --json --threads" ;;
        export) opts="--model --filters --nir --data --eval-images --scale --contrast --neurons" ;;
        report) opts="--out --quick --natural --authors --mnist-preset --natural-preset --threads
                      --workers" ;;
        sweep) opts="--data --images --offset --preset --config --set --seeds --seed-count
                     --eval-data --eval-images --eval-offset --curves --threads --out --slurm --run
                     --jobs" ;;
        collect)
            opts="--csv --jsonl"
            if [[ $cur != -* ]]; then
                mapfile -t COMPREPLY < <(compgen -d -- "$cur")
                return
            fi ;;
        presets)
            if [[ $cur != -* ]]; then
                mapfile -t COMPREPLY < <(compgen -W "$(${COMP_WORDS[0]} presets 2>/dev/null | cut -d' ' -f1)" -- "$cur")
                return
            fi ;;
    esac
    mapfile -t COMPREPLY < <(compgen -W "$opts --help" -- "$cur")
}
complete -F _stdp_cli stdp-cli
