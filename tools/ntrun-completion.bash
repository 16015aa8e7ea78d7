# bash completion for ntrun(1); installed as share/bash-completion/completions/ntrun (loaded on
# demand by the bash-completion package, whose helpers it uses).
_ntrun()
{
    local cur prev words cword split
    _init_completion -s -n : || return
    local i
    # Past the program: its own arguments, completed as file names.
    for ((i = 1; i < cword; i++)); do
        case ${words[i]} in
        --) ((i++)); break ;;
        -*) ;;
        *) break ;;
        esac
    done
    if ((i < cword)); then
        _filedir
        return
    fi
    if [[ $split == true ]]; then
        case $prev in
        --trace)
            local done=
            [[ $cur == *,* ]] && done=${cur%,*},
            COMPREPLY=($(compgen -P "$done" -W "loader nt sud time all" -- "${cur##*,}"))
            compopt -o nospace
            ;;
        --windows-build) COMPREPLY=($(compgen -W "10 11" -- "$cur")) ;;
        --sud) COMPREPLY=($(compgen -W "auto require seccomp" -- "$cur")) ;;
        --dll-path)
            local head=
            [[ $cur == *:* ]] && head=${cur%:*}:
            COMPREPLY=($(compgen -d -P "$head" -- "${cur##*:}"))
            compopt -o nospace
            ;;
        esac
        return
    fi
    if [[ $cur == -* ]]; then
        COMPREPLY=($(compgen -W "--strict --trace= --windows-build= --sud= --no-rewrite --dll-path= -h --help
                                 --version --" -- "$cur"))
        [[ ${COMPREPLY-} == *= ]] && compopt -o nospace
        return
    fi
    # The program: Windows executables (any case of .exe) and directories.
    _filedir '@(exe|EXE|Exe)'
}
complete -F _ntrun ntrun
